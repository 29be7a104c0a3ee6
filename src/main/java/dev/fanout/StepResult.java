package dev.fanout;

import java.util.Objects;

/** What one step did on one host: a command's result or a transfer's. */
public sealed interface StepResult permits StepResult.Executed, StepResult.Transferred {

    /** The step. */
    Step step();

    /** The text the step printed (a command's stdout then stderr; nothing for a transfer), for grouping. */
    String output();

    /**
     * A command's result.
     *
     * @param step the step
     * @param exec the result (for a timed-out command, the output seen before the limit)
     */
    record Executed(Step.Exec step, ExecResult exec) implements StepResult {
        /** Rejects null components. */
        public Executed {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(exec, "exec");
        }

        @Override
        public String output() {
            return exec.stdout().text() + exec.stderr().text();
        }
    }

    /**
     * A transfer's result.
     *
     * @param step the upload or download step
     * @param transfer what was transferred
     */
    record Transferred(Step step, TransferResult transfer) implements StepResult {
        /** Rejects null components and steps that are not transfers. */
        public Transferred {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(transfer, "transfer");
            if (step instanceof Step.Exec) {
                throw new IllegalArgumentException("a command step has an ExecResult, not a TransferResult");
            }
        }

        @Override
        public String output() {
            return "";
        }
    }
}
