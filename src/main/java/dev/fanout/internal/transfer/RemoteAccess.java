package dev.fanout.internal.transfer;

import dev.fanout.TransferResult.Method;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.spi.RemoteFiles;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one transfer reaches a host's files: an SFTP channel, or, where the server refuses the SFTP subsystem,
 * {@link ExecFiles}. Decided per host at each transfer, so a host that has SFTP always gets it.
 *
 * @param files the host's files
 * @param method which of the two they are
 */
record RemoteAccess(RemoteFiles files, Method method) implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteAccess.class);

    /**
     * An SFTP channel, else exec.
     *
     * @throws TransferFailedException when SFTP fails otherwise than by being refused
     * @throws dev.fanout.error.SessionLostException when no channel can be opened
     */
    static RemoteAccess open(TransferContext context) {
        try {
            return new RemoteAccess(context.session().openFiles(context.timeout()), Method.SFTP);
        } catch (TransferFailedException refused) {
            if (refused.reason() != Reason.UNSUPPORTED) {
                throw refused;
            }
            LOG.debug("{}: no SFTP ({}); transferring over exec", context.host(), refused.detail());
            return new RemoteAccess(new ExecFiles(context, context.timeout()), Method.EXEC);
        }
    }

    /** New files of the same method, for work after these were closed (a time-out closes them), within limit. */
    RemoteFiles reopen(TransferContext context, Duration limit) {
        return method == Method.SFTP ? context.session().openFiles(limit) : new ExecFiles(context, limit);
    }

    @Override
    public void close() {
        files.close();
    }
}
