package dev.fanout;

import java.util.Objects;

/** What one step did on one host: a command's result, a file transfer's or a directory tree transfer's. */
public sealed interface StepResult permits StepResult.Executed, StepResult.Transferred, StepResult.TreeTransferred {

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
        /** Rejects null components and steps that are not file transfers. */
        public Transferred {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(transfer, "transfer");
            if (!(step instanceof Step.Upload) && !(step instanceof Step.Download)) {
                throw new IllegalArgumentException("only an upload or a download has a TransferResult: "
                        + step.describe());
            }
        }

        @Override
        public String output() {
            return "";
        }
    }

    /**
     * A directory tree transfer's result, also when it stopped at a failure ({@link TreeTransferResult#complete()}
     * false): then it is the host's last step result, and the host's error says what failed.
     *
     * @param step the upload or download tree step
     * @param tree what was transferred
     */
    record TreeTransferred(Step step, TreeTransferResult tree) implements StepResult {
        /** Rejects null components and steps that are not tree transfers. */
        public TreeTransferred {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(tree, "tree");
            if (!(step instanceof Step.UploadTree) && !(step instanceof Step.DownloadTree)) {
                throw new IllegalArgumentException("only a tree transfer has a TreeTransferResult: "
                        + step.describe());
            }
        }

        @Override
        public String output() {
            return "";
        }
    }
}
