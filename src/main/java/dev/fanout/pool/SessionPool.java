package dev.fanout.pool;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.Phase;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshSession;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.pool2.BaseKeyedPooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericKeyedObjectPool;
import org.apache.commons.pool2.impl.GenericKeyedObjectPoolConfig;

/**
 * A keyed pool of authenticated sessions on Apache Commons Pool2, so that a long-lived service's repeated runs
 * and multi-step tasks reuse sessions instead of connecting again. Key: the host (user, address, port) and the
 * credentials.
 *
 * <p>Sessions are validated on borrow (still open); idle ones are evicted after {@link PoolSettings#idleTimeout}; a
 * host has at most {@link PoolSettings#maxPerHost} sessions and a borrower waits at most
 * {@link PoolSettings#maxWait}. A pooled session the server dropped silently is found out by its next command and
 * replaced by the scheduler ({@link Lease#reused()}). Thread-safe; {@link #close()} closes every idle session.
 */
public final class SessionPool implements SessionSource {

    private final SshDriver driver;
    private final PoolSettings settings;
    private final GenericKeyedObjectPool<Key, SshSession> pool;
    private final ConcurrentHashMap<Key, ConnectRequest> latestRequests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SshSession, Key> onLoan = new ConcurrentHashMap<>();
    private final AtomicLong reused = new AtomicLong();

    /** The pool's key: who connects where. */
    private record Key(Host host, Credentials credentials) {
    }

    /** A pool of sessions from this driver. */
    public SessionPool(SshDriver driver, PoolSettings settings) {
        this.driver = driver;
        this.settings = settings;
        GenericKeyedObjectPoolConfig<SshSession> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(settings.maxPerHost());
        config.setMaxIdlePerKey(settings.maxPerHost());
        config.setMaxTotal(-1);
        config.setMaxWait(settings.maxWait());
        config.setBlockWhenExhausted(true);
        config.setTestOnBorrow(true);
        config.setTestWhileIdle(true);
        config.setMinEvictableIdleDuration(settings.idleTimeout());
        config.setTimeBetweenEvictionRuns(settings.evictionInterval());
        config.setLifo(true);
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new Factory(), config);
    }

    @Override
    public Lease acquire(ConnectRequest request, Semaphore handshakes) {
        Key key = new Key(request.host(), request.credentials());
        latestRequests.put(key, request);
        boolean idleAvailable = pool.getNumIdle(key) > 0;
        long createdBefore = pool.getCreatedCount();
        SshSession session = idleAvailable ? borrow(key, request) : DirectSessions.Permits.holding(handshakes,
                () -> borrow(key, request));
        boolean wasReused = idleAvailable && pool.getCreatedCount() == createdBefore;
        if (wasReused) {
            reused.incrementAndGet();
        }
        onLoan.put(session, key);
        return new Lease(session, wasReused);
    }

    private SshSession borrow(Key key, ConnectRequest request) {
        try {
            return pool.borrowObject(key);
        } catch (FanoutException | CancellationException e) {
            throw e;
        } catch (NoSuchElementException e) {
            throw new ConnectTimeoutException(request.host().toString(), driver.name(), Phase.CONNECT,
                    settings.maxWait(), e);
        } catch (Exception e) {
            throw new IllegalStateException("session pool failure for " + request.host() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease, boolean reusable) {
        Key key = onLoan.remove(lease.session());
        if (key == null) {
            throw new IllegalArgumentException("not a session of this pool: " + lease.session().host());
        }
        try {
            if (reusable && lease.session().isOpen()) {
                pool.returnObject(key, lease.session());
            } else {
                pool.invalidateObject(key, lease.session());
            }
        } catch (Exception e) {
            lease.session().close();
        }
    }

    /** The pool's counters now. */
    public PoolStats stats() {
        return new PoolStats(pool.getCreatedCount(), pool.getBorrowedCount(), reused.get(),
                pool.getDestroyedCount(), pool.getNumActive(), pool.getNumIdle());
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Connects with the latest request made for a key, validates by {@code isOpen}, closes on destroy. */
    private final class Factory extends BaseKeyedPooledObjectFactory<Key, SshSession> {
        @Override
        public SshSession create(Key key) {
            return driver.connect(latestRequests.get(key));
        }

        @Override
        public PooledObject<SshSession> wrap(SshSession session) {
            return new DefaultPooledObject<>(session);
        }

        @Override
        public boolean validateObject(Key key, PooledObject<SshSession> pooled) {
            return pooled.getObject().isOpen();
        }

        @Override
        public void destroyObject(Key key, PooledObject<SshSession> pooled) {
            pooled.getObject().close();
        }
    }
}
