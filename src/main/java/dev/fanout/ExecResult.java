package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * The result of one command on one host. A non-zero exit is a result, not an error.
 *
 * @param command the command line that ran
 * @param exitStatus how it ended
 * @param stdout standard output (up to the output limit)
 * @param stderr standard error (up to the output limit)
 * @param duration from opening the channel to its close
 */
public record ExecResult(String command, ExitStatus exitStatus, Output stdout, Output stderr, Duration duration) {

    /** Rejects null components. */
    public ExecResult {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(exitStatus, "exitStatus");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        Objects.requireNonNull(duration, "duration");
    }

    /** True when the command exited with code 0. */
    public boolean isSuccess() {
        return exitStatus.isSuccess();
    }

    /** True when either stream was cut at the output limit. */
    public boolean truncated() {
        return stdout.truncated() || stderr.truncated();
    }
}
