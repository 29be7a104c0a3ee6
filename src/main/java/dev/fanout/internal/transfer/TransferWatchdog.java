package dev.fanout.internal.transfer;

import dev.fanout.error.TransferFailedException;
import dev.fanout.spi.RemoteFiles;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Aborts a transfer that outlives its limit by closing its files (SFTP channel or exec stream) from the JDK's shared
 * delay thread, which
 * makes the blocked read or write fail; the failure is then reported as {@code TIMED_OUT}. Closing it in time
 * cancels the abort.
 */
final class TransferWatchdog implements AutoCloseable {

    private final AtomicBoolean fired = new AtomicBoolean();
    private final AtomicReference<RemoteFiles> target;
    private final CompletableFuture<Void> abort;
    private final Duration limit;
    private final long deadlineNanos;

    TransferWatchdog(RemoteFiles files, Duration limit) {
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
        this.target = new AtomicReference<>(files);
        AtomicReference<RemoteFiles> toAbort = target;
        AtomicBoolean firedFlag = fired;
        this.abort = CompletableFuture.runAsync(() -> {
            RemoteFiles open = toAbort.getAndSet(null);
            if (open != null) {
                firedFlag.set(true);
                open.close();
            }
        }, CompletableFuture.delayedExecutor(limit.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** The time left before the abort, at least 1 ms. */
    Duration left() {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime()));
    }

    /** {@code failure}, or a {@code TIMED_OUT} failure when the watchdog caused it. */
    TransferFailedException explain(TransferFailedException failure, TransferContext context) {
        if (!fired.get()) {
            return failure;
        }
        return new TransferFailedException(context.host(), context.driver(), TransferFailedException.Reason.TIMED_OUT,
                failure.path(), "aborted after " + limit.toMillis() + " ms", failure);
    }

    boolean fired() {
        return fired.get();
    }

    /**
     * Cancels the abort. The JDK's delay queue keeps a cancelled task until its time, so the task holds the channel
     * only through a reference cleared here: a finished transfer's session is not kept alive for the whole limit.
     */
    @Override
    public void close() {
        target.set(null);
        abort.cancel(false);
    }
}
