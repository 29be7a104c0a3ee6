package dev.fanout.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A signal that a caller no longer wants an operation: drivers register what undoes their work in progress (close
 * the socket, cancel the future), and the scheduler fires it when a run is cancelled. Interrupting a thread blocked
 * in a platform socket read does nothing, so this is how a connect in progress is stopped. Thread-safe; an action
 * registered after cancellation runs at once.
 */
public final class Cancellation {

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    /** A signal not fired yet; {@link #cancel()} fires it. */
    public Cancellation() {
    }

    /** A signal that is never fired (for callers that do not cancel). */
    public static Cancellation none() {
        return new Cancellation();
    }

    /** Runs {@code action} when cancelled, or now if already cancelled. */
    public void onCancel(Runnable action) {
        lock.lock();
        try {
            if (!cancelled) {
                actions.add(action);
                return;
            }
        } finally {
            lock.unlock();
        }
        action.run();
    }

    /** Fires the signal: runs every registered action once. Idempotent. */
    public void cancel() {
        List<Runnable> toRun;
        lock.lock();
        try {
            if (cancelled) {
                return;
            }
            cancelled = true;
            toRun = List.copyOf(actions);
            actions.clear();
        } finally {
            lock.unlock();
        }
        toRun.forEach(Runnable::run);
    }

    /** Whether the signal has fired. */
    public boolean isCancelled() {
        lock.lock();
        try {
            return cancelled;
        } finally {
            lock.unlock();
        }
    }
}
