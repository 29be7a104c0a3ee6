package dev.fanout.internal.pool;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.PoolSettings;
import dev.fanout.PoolStats;
import dev.fanout.error.PoolExhaustedException;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshSession;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Design: the pool keeps places ({@link Slot}s), each empty or holding a session. Commons Pool2 counts them
 * against {@link PoolSettings#maxPerHost} and makes borrowers wait at most {@link PoolSettings#maxWait}, in turn
 * (first come, first served, whichever run they belong to), then fail with {@link PoolExhaustedException}: not a
 * connect timeout, since nothing was sent to the host. A borrower that gets an empty place connects itself, on its
 * own thread, with its own request (its own cancellation and time limits: another run's must never apply), holding
 * a handshake permit only for the connect. A place whose connect fails is given up at once.
 *
 * <p>Sessions are validated on borrow (still open); idle ones are evicted after {@link PoolSettings#idleTimeout}. A
 * pooled session the server dropped silently is found out by its next command and replaced by the scheduler
 * ({@link Lease#reused()}). Thread-safe; {@link #close()} closes every idle session.
 */
public final class SessionPool implements SessionSource {

    private final SshDriver driver;
    private final PoolSettings settings;
    private final GenericKeyedObjectPool<Key, Slot> pool;
    private final ConcurrentHashMap<SshSession, Slot> onLoan = new ConcurrentHashMap<>();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong borrowed = new AtomicLong();
    private final AtomicLong reused = new AtomicLong();
    private final AtomicLong destroyed = new AtomicLong();

    /** The pool's key: who connects where. */
    private record Key(Host host, Credentials credentials) {
    }

    /** A place in the pool: empty until its borrower connects, then holding the session. */
    private static final class Slot {
        private final Key key;
        private volatile SshSession session;

        Slot(Key key) {
            this.key = key;
        }
    }

    /** A pool of sessions from this driver. */
    public SessionPool(SshDriver driver, PoolSettings settings) {
        this.driver = driver;
        this.settings = settings;
        GenericKeyedObjectPoolConfig<Slot> config = new GenericKeyedObjectPoolConfig<>();
        config.setMaxTotalPerKey(settings.maxPerHost());
        config.setMaxIdlePerKey(settings.maxPerHost());
        config.setMaxTotal(-1);
        config.setMaxWait(settings.maxWait());
        config.setBlockWhenExhausted(true);
        config.setFairness(true);
        config.setTestOnBorrow(true);
        config.setTestWhileIdle(true);
        config.setMinEvictableIdleDuration(settings.idleTimeout());
        config.setTimeBetweenEvictionRuns(settings.evictionInterval());
        config.setLifo(true);
        config.setJmxEnabled(false);
        this.pool = new GenericKeyedObjectPool<>(new Factory(), config);
    }

    @Override
    public Lease acquire(ConnectRequest request, ConnectPermits handshakes) {
        Slot slot = borrow(new Key(request.host(), request.credentials()), request);
        boolean wasReused = slot.session != null;
        if (!wasReused) {
            try {
                slot.session = handshakes.holding(() -> driver.connect(request));
            } catch (RuntimeException | Error e) {
                giveUp(slot);
                throw e;
            }
            created.incrementAndGet();
        } else {
            reused.incrementAndGet();
        }
        borrowed.incrementAndGet();
        onLoan.put(slot.session, slot);
        return new Lease(slot.session, wasReused);
    }

    private Slot borrow(Key key, ConnectRequest request) {
        try {
            return pool.borrowObject(key);
        } catch (NoSuchElementException e) {
            throw new PoolExhaustedException(request.host().toString(), driver.name(), settings.maxPerHost(),
                    settings.maxWait(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a pooled session");
        } catch (Exception e) {
            throw new IllegalStateException("session pool failure for " + request.host() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void release(Lease lease, boolean reusable) {
        Slot slot = onLoan.remove(lease.session());
        if (slot == null) {
            throw new IllegalArgumentException("not a session of this pool: " + lease.session().host());
        }
        if (reusable && lease.session().isOpen()) {
            try {
                pool.returnObject(slot.key, slot);
            } catch (RuntimeException e) {
                giveUp(slot);
            }
        } else {
            giveUp(slot);
        }
    }

    /** Takes a place out of the pool (its session, if any, is closed), making room for a new one. */
    private void giveUp(Slot slot) {
        try {
            pool.invalidateObject(slot.key, slot);
        } catch (Exception e) {
            if (slot.session != null) {
                slot.session.close();
            }
        }
    }

    /** The pool's counters now. */
    public PoolStats stats() {
        return new PoolStats(created.get(), borrowed.get(), reused.get(), destroyed.get(), pool.getNumActive(),
                pool.getNumIdle());
    }

    @Override
    public void close() {
        pool.close();
    }

    /** Makes empty places, keeps open sessions, closes sessions on destroy. */
    private final class Factory extends BaseKeyedPooledObjectFactory<Key, Slot> {
        @Override
        public Slot create(Key key) {
            return new Slot(key);
        }

        @Override
        public PooledObject<Slot> wrap(Slot slot) {
            return new DefaultPooledObject<>(slot);
        }

        @Override
        public boolean validateObject(Key key, PooledObject<Slot> pooled) {
            SshSession session = pooled.getObject().session;
            return session == null || session.isOpen();
        }

        @Override
        public void destroyObject(Key key, PooledObject<Slot> pooled) {
            SshSession session = pooled.getObject().session;
            if (session != null) {
                session.close();
                destroyed.incrementAndGet();
            }
        }
    }
}
