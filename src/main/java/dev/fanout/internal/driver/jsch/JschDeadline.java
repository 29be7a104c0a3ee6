package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.Session;
import dev.fanout.error.Phase;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds a JSch connect in time. JSch's socket timeout bounds each read, not the whole connect, so a server that
 * trickles bytes could hold it forever. This watchdog disconnects the session when the handshake outlives the
 * connect timeout, or authentication outlives the auth timeout counted from its start.
 */
final class JschDeadline {

    private final JschAttempt attempt;
    private final Session session;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private ScheduledFuture<?> pending;
    private boolean cancelled;

    JschDeadline(JschAttempt attempt, Session session, ScheduledExecutorService timer) {
        this.attempt = attempt;
        this.session = session;
        this.timer = timer;
        schedule(attempt.request().timeouts().connect().toNanos());
    }

    private void schedule(long delayNanos) {
        lock.lock();
        try {
            if (!cancelled) {
                pending = timer.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void check() {
        long authStart = attempt.authStartNanos();
        if (attempt.phase() == Phase.AUTH && authStart != 0) {
            long left = authStart + attempt.request().timeouts().auth().toNanos() - System.nanoTime();
            if (left > 0) {
                schedule(left);
                return;
            }
        }
        attempt.markTimedOut();
        session.disconnect();
    }

    void cancel() {
        lock.lock();
        try {
            cancelled = true;
            if (pending != null) {
                pending.cancel(false);
            }
        } finally {
            lock.unlock();
        }
    }
}
