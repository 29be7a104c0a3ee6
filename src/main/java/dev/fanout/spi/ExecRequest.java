package dev.fanout.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * One command for {@link SshSession#exec}.
 *
 * @param command the command line
 * @param timeout how long it may run, from opening its channel
 * @param outputLimit how many bytes to keep of each of stdout and stderr; the rest is drained and counted
 * @param outputBudget the run's budget the bytes kept are taken from
 * @param liveOutput where to hand the output as it arrives, besides keeping it; {@link LiveOutput#none()} for nowhere
 */
public record ExecRequest(String command, Duration timeout, int outputLimit, OutputBudget outputBudget,
        LiveOutput liveOutput) {

    /** Rejects bad values. */
    public ExecRequest {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        if (outputLimit < 0) {
            throw new IllegalArgumentException("outputLimit must not be negative: " + outputLimit);
        }
        Objects.requireNonNull(outputBudget, "outputBudget");
        Objects.requireNonNull(liveOutput, "liveOutput");
    }

    /** A command whose output only its result needs. */
    public ExecRequest(String command, Duration timeout, int outputLimit, OutputBudget outputBudget) {
        this(command, timeout, outputLimit, outputBudget, LiveOutput.none());
    }

    /** A command outside a run: no budget but the limit per stream. */
    public ExecRequest(String command, Duration timeout, int outputLimit) {
        this(command, timeout, outputLimit, OutputBudget.unlimited());
    }
}
