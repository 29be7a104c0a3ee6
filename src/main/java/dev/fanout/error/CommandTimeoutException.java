package dev.fanout.error;

import dev.fanout.ExecResult;
import java.time.Duration;
import java.util.Objects;

/**
 * A command ran past its time limit. Its channel was closed and the remote process signalled (TERM, where the
 * server supports signals); the session stays usable, or is closed, never half-open. Not retryable: the command
 * may have done part of its work. {@link #partialResult()} holds what it printed before the limit.
 */
public final class CommandTimeoutException extends FanoutException {

    private final transient ExecResult partialResult;

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param limit the time limit that passed
     * @param partialResult the output seen before the limit, with {@code ExitStatus.Unknown}
     */
    public CommandTimeoutException(String host, String driver, Duration limit, ExecResult partialResult) {
        super(host, Phase.EXEC, driver, false,
                "command timed out after " + limit.toMillis() + " ms: " + partialResult.command(), null);
        this.partialResult = Objects.requireNonNull(partialResult, "partialResult");
    }

    /** The output printed before the limit passed. */
    public ExecResult partialResult() {
        return partialResult;
    }

    @Override
    public String kind() {
        return "command_timeout";
    }
}
