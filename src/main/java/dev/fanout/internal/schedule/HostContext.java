package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.spi.Cancellation;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * One host while it runs: what cancelling it must reach. A blocking host is stopped by firing its connect
 * cancellation and interrupting its thread; an asynchronous one by failing the future it waits on.
 */
final class HostContext {

    private final int index;
    private final Host host;
    private final Cancellation cancellation = new Cancellation();
    private final long startNanos = System.nanoTime();
    private volatile Thread thread;
    private volatile CompletableFuture<?> pending;

    HostContext(int index, Host host) {
        this.index = index;
        this.host = host;
    }

    int index() {
        return index;
    }

    Host host() {
        return host;
    }

    Cancellation cancellation() {
        return cancellation;
    }

    long startNanos() {
        return startNanos;
    }

    void runsOn(Thread current) {
        this.thread = current;
    }

    /** The asynchronous operation the host waits on now. */
    <T> CompletableFuture<T> awaiting(CompletableFuture<T> future) {
        this.pending = future;
        if (cancellation.isCancelled()) {
            future.completeExceptionally(new CancellationException("cancelled"));
        }
        return future;
    }

    void cancel() {
        cancellation.cancel();
        Thread running = thread;
        if (running != null) {
            running.interrupt();
        }
        CompletableFuture<?> waiting = pending;
        if (waiting != null) {
            waiting.completeExceptionally(new CancellationException("cancelled"));
        }
    }
}
