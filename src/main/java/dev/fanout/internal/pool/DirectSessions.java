package dev.fanout.internal.pool;

import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;

/** No pooling: each host connects anew and its session closes as soon as the host is done. */
public final class DirectSessions implements SessionSource {

    private final SshDriver driver;

    /** Sessions from this driver. */
    public DirectSessions(SshDriver driver) {
        this.driver = driver;
    }

    @Override
    public Lease acquire(ConnectRequest request, ConnectPermits handshakes) {
        return new Lease(handshakes.holding(() -> driver.connect(request)), false);
    }

    @Override
    public void release(Lease lease, boolean reusable) {
        lease.session().close();
    }

    @Override
    public void close() {
        // Nothing is kept.
    }
}
