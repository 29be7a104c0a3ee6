package dev.fanout.error;

import dev.fanout.ExecResult;
import java.util.Objects;

/**
 * A checked command ({@code Command.checked()}) ended with something other than exit code 0. Unchecked commands
 * report a non-zero exit in their result instead. Not retryable. {@link #result()} holds the full result.
 */
public final class CommandFailedException extends FanoutException {

    private final transient ExecResult result;

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param result the command's result
     */
    public CommandFailedException(String host, String driver, ExecResult result) {
        super(host, Phase.EXEC, driver, false, "command failed (" + result.exitStatus() + "): " + result.command(),
                null);
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The command's result. */
    public ExecResult result() {
        return result;
    }

    @Override
    public String kind() {
        return "command_failed";
    }
}
