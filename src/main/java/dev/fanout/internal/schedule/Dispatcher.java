package dev.fanout.internal.schedule;

import dev.fanout.internal.OpenFiles;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a run's hosts in input order, the same way for every mode: batch by batch (the reference system's controls:
 * batch size, interval, batches concurrent or one after another), within the limit of hosts in flight (lowered to the
 * connections the process has open files for), until the run's deadline. Runs on the caller's thread; an interrupt
 * stops the run (hosts not started are then skipped).
 */
final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final RunState state;
    private final HostStarter starter;

    Dispatcher(RunState state, HostStarter starter) {
        this.state = state;
        this.starter = starter;
    }

    /** Starts every host (or records it skipped once the run has stopped). */
    void dispatch() {
        int total = state.hosts().size();
        int batchSize = state.options().batchSize() == 0 ? total : state.options().batchSize();
        int limit = state.options().maxInFlight() > 0 ? Math.min(state.options().maxInFlight(), total) : total;
        int wanted = OpenFiles.wantedAtOnce(state.options(), total);
        int atOnce = OpenFiles.hostsAtOnce(wanted);
        if (atOnce < wanted) {
            // INFO, not WARN: the command line says it in its own words, as a warning.
            LOG.info("{} hosts at once would pass the open-file limit: at most {} at once", wanted, atOnce);
            limit = Math.min(limit, atOnce);
        }
        Semaphore inFlight = limit < total ? new Semaphore(limit) : null;
        CountDownLatch previousBatch = new CountDownLatch(0);
        for (int first = 0; first < total; first += batchSize) {
            int last = Math.min(first + batchSize, total);
            if (first > 0) {
                if (!state.options().batchesConcurrent()) {
                    waitFor(previousBatch);
                }
                pause(state.options().batchInterval());
            }
            CountDownLatch batch = new CountDownLatch(last - first);
            for (int index = first; index < last; index++) {
                boolean permitted = inFlight == null || acquire(inFlight);
                if (!permitted) {
                    state.stop(stopReason());
                }
                start(index, () -> {
                    if (permitted) {
                        release(inFlight);
                    }
                    batch.countDown();
                });
            }
            previousBatch = batch;
        }
    }

    /**
     * Starts one host. Whatever happens to it, it ends with a result once its turn is over ({@code done}, called
     * once): a host whose work died without one, or that could not be started at all (no thread to be had), gets a
     * FAILED result, so that the run never waits for it.
     */
    private void start(int index, Runnable afterHost) {
        AtomicBoolean ended = new AtomicBoolean();
        Runnable done = () -> {
            if (ended.compareAndSet(false, true)) {
                try {
                    state.ensureResult(index, null);
                } finally {
                    afterHost.run();
                }
            }
        };
        try {
            starter.start(index, done);
        } catch (Throwable failure) {
            LOG.error("{}: could not be started: {}", state.hosts().get(index), failure.toString());
            state.ensureResult(index, failure);
            done.run();
        }
    }

    private String stopReason() {
        return state.deadlinePassed() ? "run deadline passed" : "interrupted";
    }

    private boolean acquire(Semaphore permits) {
        if (state.stopReason() != null) {
            return false;
        }
        try {
            return permits.tryAcquire(nanosToDeadline(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void release(Semaphore permits) {
        if (permits != null) {
            permits.release();
        }
    }

    private void waitFor(CountDownLatch batch) {
        if (state.stopReason() != null) {
            return;
        }
        try {
            if (!batch.await(nanosToDeadline(), TimeUnit.NANOSECONDS)) {
                state.stop(stopReason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.stop("interrupted");
        }
    }

    private void pause(Duration interval) {
        if (interval.isZero() || state.stopReason() != null) {
            return;
        }
        try {
            long wait = Math.min(interval.toNanos(), nanosToDeadline());
            TimeUnit.NANOSECONDS.sleep(wait);
            if (wait < interval.toNanos()) {
                state.stop(stopReason());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            state.stop("interrupted");
        }
    }

    private long nanosToDeadline() {
        if (Thread.currentThread().isInterrupted()) {
            return 0;
        }
        long deadline = state.deadlineNanos();
        return deadline == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, deadline - System.nanoTime());
    }
}
