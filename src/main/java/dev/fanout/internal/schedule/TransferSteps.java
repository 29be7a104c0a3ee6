package dev.fanout.internal.schedule;

import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.internal.transfer.FileTransfers;
import dev.fanout.internal.transfer.TreeTransfers;
import dev.fanout.spi.SshSession;

/**
 * Runs a transfer step of a host's task on its session, blocking the calling thread. A tree that stops at a failure
 * records what it did in the host's steps before the failure is thrown.
 */
final class TransferSteps {

    private TransferSteps() {
    }

    static StepResult run(Step step, HostAttempt attempt, SshSession session) {
        return switch (step) {
            case Step.Upload upload -> new StepResult.Transferred(upload, FileTransfers.upload(upload,
                    attempt.transferContext(upload, upload.timeout(), upload.source().size(), session)));
            case Step.Download download -> new StepResult.Transferred(download, FileTransfers.download(download,
                    attempt.transferContext(download, download.timeout(), -1, session)));
            case Step.UploadTree tree -> new StepResult.TreeTransferred(tree, TreeTransfers.upload(tree,
                    attempt.transferContext(tree, tree.timeout(), -1, session),
                    stopped -> attempt.transferDone(new StepResult.TreeTransferred(tree, stopped))));
            case Step.DownloadTree tree -> new StepResult.TreeTransferred(tree, TreeTransfers.download(tree,
                    attempt.transferContext(tree, tree.timeout(), -1, session),
                    stopped -> attempt.transferDone(new StepResult.TreeTransferred(tree, stopped))));
            case Step.Exec exec -> throw new IllegalArgumentException("not a transfer: " + exec.describe());
            case Step.Script script -> throw new IllegalArgumentException("not a transfer: " + script.describe());
        };
    }
}
