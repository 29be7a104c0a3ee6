package dev.fanout.internal.pool;

import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Semaphore;

/** No pooling: each host connects anew and its session closes as soon as the host is done. */
public final class DirectSessions implements SessionSource {

    private final SshDriver driver;

    /** Sessions from this driver. */
    public DirectSessions(SshDriver driver) {
        this.driver = driver;
    }

    @Override
    public Lease acquire(ConnectRequest request, Semaphore handshakes) {
        return new Lease(Permits.holding(handshakes, () -> driver.connect(request)), false);
    }

    @Override
    public void release(Lease lease, boolean reusable) {
        lease.session().close();
    }

    @Override
    public void close() {
        // Nothing is kept.
    }

    /** Runs an action while holding one permit, when there is a semaphore. */
    static final class Permits {
        private Permits() {
        }

        static <T> T holding(Semaphore permits, java.util.function.Supplier<T> action) {
            if (permits == null) {
                return action.get();
            }
            try {
                permits.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting to connect");
            }
            try {
                return action.get();
            } finally {
                permits.release();
            }
        }
    }
}
