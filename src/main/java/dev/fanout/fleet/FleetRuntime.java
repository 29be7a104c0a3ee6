package dev.fanout.fleet;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the parts of a running fleet share: its configuration and the one timer thread that carries out every
 * simulated delay. Timer tasks never block; they only start asynchronous writes.
 */
final class FleetRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(FleetRuntime.class);

    private final FleetConfig config;
    private final ScheduledThreadPoolExecutor timer;

    FleetRuntime(FleetConfig config) {
        this.config = config;
        this.timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "fanout-fleet-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    FleetConfig config() {
        return config;
    }

    /** Runs a task after a delay (at once for 0) on the timer; a task that throws is logged, never lost silently. */
    void schedule(long delayNanos, Runnable task) {
        if (timer.isShutdown()) {
            return;
        }
        // The future has nothing to tell: what the task throws is logged here, and no task is ever cancelled alone.
        var unused = timer.schedule(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.warn("simulated fleet task failed", e);
            }
        }, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    void shutdown() {
        timer.shutdownNow();
    }
}
