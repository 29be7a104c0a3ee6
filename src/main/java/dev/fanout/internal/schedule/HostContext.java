package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.Target;
import dev.fanout.internal.events.FlightRecording;
import dev.fanout.internal.events.HostEvent;
import dev.fanout.spi.Cancellation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One host while it runs: what cancelling it must reach. A blocking host is stopped by firing its connect
 * cancellation and interrupting its thread (only while the host is on it: a pool thread moves on to other hosts);
 * an asynchronous one by failing the future it waits on.
 */
final class HostContext {

    private final int index;
    private final Target target;
    private final Cancellation cancellation = new Cancellation();
    private final long startNanos = System.nanoTime();
    /** Null when no flight recording had started at the host's start. */
    private final HostEvent event;
    private final ReentrantLock threadLock = new ReentrantLock();
    private Thread thread;
    private volatile CompletableFuture<?> pending;
    private final AtomicReference<String> cancelReason = new AtomicReference<>();

    HostContext(int index, Target target, String driver) {
        this.index = index;
        this.target = target;
        this.event = FlightRecording.started() ? HostEvent.begin(target.host(), driver) : null;
    }

    int index() {
        return index;
    }

    Host host() {
        return target.host();
    }

    /** The host's inputs: its credentials and variables. */
    Target target() {
        return target;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    long startNanos() {
        return startNanos;
    }

    /** Commits the host's JFR event, begun when the host started, if one was. */
    void endEvent(HostResult result) {
        if (event != null) {
            event.end(result);
        }
    }

    /** The host runs on the current thread until {@link #leaveThread()}; interrupted at once if already cancelled. */
    void runsOn(Thread current) {
        threadLock.lock();
        try {
            this.thread = current;
        } finally {
            threadLock.unlock();
        }
        if (cancellation.isCancelled()) {
            current.interrupt();
        }
    }

    /**
     * The host is done with the current thread: no interrupt meant for it reaches the thread after this, and one
     * that came too late to matter is cleared, so that the thread's next host does not take it for its own.
     */
    void leaveThread() {
        threadLock.lock();
        try {
            this.thread = null;
        } finally {
            threadLock.unlock();
        }
        Thread.interrupted();
    }

    /** The asynchronous operation the host waits on now. */
    <T> CompletableFuture<T> awaiting(CompletableFuture<T> future) {
        this.pending = future;
        if (cancellation.isCancelled()) {
            future.completeExceptionally(new CancellationException("cancelled"));
        }
        return future;
    }

    /** Why the host was cancelled, or null if it was not. */
    String cancelReason() {
        return cancelReason.get();
    }

    /** Stops the host; the first reason given is the one its result names. */
    void cancel(String reason) {
        cancelReason.compareAndSet(null, reason);
        cancellation.cancel();
        threadLock.lock();
        try {
            if (thread != null) {
                thread.interrupt();
            }
        } finally {
            threadLock.unlock();
        }
        CompletableFuture<?> waiting = pending;
        if (waiting != null) {
            waiting.completeExceptionally(new CancellationException("cancelled"));
        }
    }
}
