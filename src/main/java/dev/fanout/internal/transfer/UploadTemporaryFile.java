package dev.fanout.internal.transfer;

import dev.fanout.error.FanoutException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.spi.RemoteFiles;
import java.io.OutputStream;
import java.time.Duration;

/**
 * The hidden file an upload writes before renaming it over its target, {@code .NAME.fanout-RANDOM.tmp} beside it:
 * created mode 0600 and exclusively in the open itself (so no other user can ever read a part of it, and a file
 * or link planted under its name is refused, not followed), and removed when the upload fails.
 *
 * <p>The removal uses the transfer's channel, or a new one of the session (of the same method, SFTP or exec) when that
 * channel was closed (a time-out closes it) or fails, opened and used within {@link #REMOVAL_LIMIT} (or the transfer's
 * limit, if shorter). When the
 * session itself is gone nothing can remove it: the failure then says the file was left.
 */
final class UploadTemporaryFile {

    static final int PRIVATE_MODE = 0600;
    static final Duration REMOVAL_LIMIT = Duration.ofSeconds(10);

    private final String path;
    private boolean exists;

    UploadTemporaryFile(String path) {
        this.path = path;
    }

    String path() {
        return path;
    }

    /** Creates the file; from then on it is this upload's to remove. */
    OutputStream create(RemoteFiles files) {
        OutputStream out = files.createNew(path, PRIVATE_MODE);
        exists = true;
        return out;
    }

    /** The file now has its target's name: nothing is left to remove. */
    void published() {
        exists = false;
    }

    /**
     * Removes the file if this upload made it, and returns {@code failure}, naming the file as left on the host when
     * it could not be removed.
     *
     * @param channelClosed whether the transfer's channel was closed (by its watchdog)
     */
    TransferFailedException removeAfter(TransferFailedException failure, RemoteAccess access, boolean channelClosed,
            TransferContext context) {
        String left = remove(access, channelClosed, context);
        if (left == null) {
            return failure;
        }
        return new TransferFailedException(failure.host(), failure.driver(), failure.reason(), failure.path(),
                failure.detail() + "; the temporary file " + path + " is left on the host (" + left + ")",
                failure.getCause());
    }

    /**
     * Removes the file if this upload made it, as far as the session allows.
     *
     * @return null once it is gone, else why it is left
     */
    String remove(RemoteAccess access, boolean channelClosed, TransferContext context) {
        if (!exists) {
            return null;
        }
        exists = false;
        if (!channelClosed) {
            try {
                access.files().remove(path);
                return null;
            } catch (TransferFailedException failure) {
                if (failure.reason() == Reason.NO_SUCH_FILE) {
                    return null;
                }
                if (Thread.currentThread().isInterrupted()) {
                    return "cancelled: " + failure.detail();
                }
            }
        }
        return removeOnNewChannel(access, context);
    }

    private String removeOnNewChannel(RemoteAccess access, TransferContext context) {
        Duration limit = context.timeout().compareTo(REMOVAL_LIMIT) < 0 ? context.timeout() : REMOVAL_LIMIT;
        long start = System.nanoTime();
        try (RemoteFiles files = access.reopen(context, limit);
                TransferWatchdog watchdog = new TransferWatchdog(files, left(limit, start))) {
            try {
                files.remove(path);
                return null;
            } catch (TransferFailedException failure) {
                if (failure.reason() == Reason.NO_SUCH_FILE) {
                    return null;
                }
                return watchdog.fired() ? "its removal took over " + limit.toMillis() + " ms" : failure.detail();
            }
        } catch (TransferFailedException failure) {
            return failure.detail();
        } catch (FanoutException failure) {
            return context.session().isOpen() ? "no channel: " + failure.kind() : "the session is gone";
        }
    }

    /** What is left of {@code limit} since {@code startNanos}, at least 1 ms. */
    private static Duration left(Duration limit, long startNanos) {
        Duration left = limit.minusNanos(System.nanoTime() - startNanos);
        return left.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : left;
    }
}
