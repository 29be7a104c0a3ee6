package dev.fanout;

import java.util.Objects;

/**
 * What one step did on one host.
 *
 * @param step the step
 * @param exec the command's result (for a timed-out command, the output seen before the limit)
 */
public record StepResult(Step step, ExecResult exec) {

    /** Rejects null components. */
    public StepResult {
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(exec, "exec");
    }
}
