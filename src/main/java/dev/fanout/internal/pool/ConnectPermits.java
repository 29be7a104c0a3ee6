package dev.fanout.internal.pool;

/**
 * The handshake limit as a session source sees it: one permit is held around each new connection, so that
 * connections being set up stay within the run's and the client's limits. Thread-safe.
 */
public interface ConnectPermits {

    /** No limit. */
    ConnectPermits NONE = new ConnectPermits() {
        @Override
        public void acquire() {
            // Always granted.
        }

        @Override
        public void release() {
            // Nothing held.
        }
    };

    /**
     * Waits for a permit.
     *
     * @throws java.util.concurrent.CancellationException when the thread is interrupted while waiting (the interrupt
     *     flag is set again)
     */
    void acquire();

    /** Gives back a permit taken by {@link #acquire()}. */
    void release();

    /** Runs {@code connect} while holding a permit, given back however it ends. */
    default <T> T holding(java.util.function.Supplier<T> connect) {
        acquire();
        try {
            return connect.get();
        } finally {
            release();
        }
    }
}
