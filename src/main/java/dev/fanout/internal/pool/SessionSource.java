package dev.fanout.internal.pool;

import dev.fanout.spi.ConnectRequest;

/**
 * Where a run gets its sessions: fresh connections closed after each host ({@link DirectSessions}), or a keyed
 * pool that keeps authenticated sessions for the next run ({@link SessionPool}). Thread-safe.
 */
public interface SessionSource extends AutoCloseable {

    /**
     * A session for the request's host: an idle pooled one, or a new connection made while holding one permit of
     * {@code handshakes}, so that connects in flight stay within the run's and the client's limits.
     *
     * @throws dev.fanout.error.FanoutException when connecting fails, or (a pool) when every session of the host
     *     stayed busy for the pool's longest wait ({@link dev.fanout.error.PoolExhaustedException})
     * @throws java.util.concurrent.CancellationException when the request is cancelled or the thread interrupted
     */
    Lease acquire(ConnectRequest request, ConnectPermits handshakes);

    /** Gives a session back: kept for reuse when {@code reusable} and the source pools, else closed. */
    void release(Lease lease, boolean reusable);

    /** Closes every idle session. Sessions on loan are closed when released. */
    @Override
    void close();
}
