package dev.fanout;

import dev.fanout.error.FanoutException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one result every host of a run ends with.
 *
 * @param host the host
 * @param status how it ended
 * @param error the failure, for hosts that failed or timed out through one (empty for OK, for a plain non-zero
 *     exit, and for cancelled and skipped hosts)
 * @param detail one line for people: the error's message, the failing exit, or why it was cancelled or skipped;
 *     empty for OK
 * @param steps the steps that ran, in order
 * @param timings where the time went
 * @param attempts connection attempts made (more than 1 after retries; 0 if skipped)
 * @param retried the failures that were retried, in order
 */
public record HostResult(Host host, HostStatus status, Optional<FanoutException> error, String detail,
        List<StepResult> steps, HostTimings timings, int attempts, List<FanoutException> retried) {

    /** Copies the lists; rejects null components. */
    public HostResult {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(detail, "detail");
        steps = List.copyOf(steps);
        Objects.requireNonNull(timings, "timings");
        retried = List.copyOf(retried);
    }

    /** A host that was never started. */
    public static HostResult skipped(Host host, String why) {
        return new HostResult(host, HostStatus.SKIPPED, Optional.empty(), why, List.of(), HostTimings.NONE, 0,
                List.of());
    }

    /** True for {@link HostStatus#OK}. */
    public boolean ok() {
        return status == HostStatus.OK;
    }

    /**
     * What the host printed, for grouping identical outputs: every step's stdout then stderr, and for a host that
     * did not end OK, its detail line.
     */
    public String output() {
        StringBuilder text = new StringBuilder();
        for (StepResult step : steps) {
            text.append(step.output());
        }
        if (!ok()) {
            text.append(status.label()).append(": ").append(detail).append('\n');
        }
        return text.toString();
    }
}
