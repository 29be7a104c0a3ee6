package dev.fanout.internal.schedule;

import dev.fanout.Step;
import dev.fanout.TransferResult;
import dev.fanout.internal.transfer.FileTransfers;
import dev.fanout.spi.SshSession;

/** Runs an upload or download step of a host's task on its session, blocking the calling thread. */
final class TransferSteps {

    private TransferSteps() {
    }

    static TransferResult run(Step step, HostAttempt attempt, SshSession session) {
        return switch (step) {
            case Step.Upload upload -> FileTransfers.upload(upload,
                    attempt.transferContext(upload, upload.timeout(), upload.source().size(), session));
            case Step.Download download -> FileTransfers.download(download,
                    attempt.transferContext(download, download.timeout(), -1, session));
            case Step.Exec exec -> throw new IllegalArgumentException("not a transfer: " + exec.describe());
            case Step.Script script -> throw new IllegalArgumentException("not a transfer: " + script.describe());
        };
    }
}
