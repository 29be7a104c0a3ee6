package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Task;
import dev.fanout.spi.AsyncSshDriver;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task on many hosts: the structured scope behind {@code Fanout.run}. The run owns its threads; it returns
 * only when every host has its one result and every thread it made has ended. Written on Java 21's stable APIs
 * (StructuredTaskScope is still a preview there) in the same shape: fork per host, join all, cancel all on
 * interrupt, deadline or fail-fast.
 */
public final class Scheduler {

    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);

    /** How long running hosts get after the run's deadline to report their own timeouts before being cancelled. */
    private static final long DEADLINE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private Scheduler() {
    }

    /**
     * Runs {@code task} on {@code hosts}. A host listed twice (same user, address and port) runs once, at its first
     * position; the report counts the duplicates removed. Interrupting the caller cancels the run: it still
     * returns the full report (unfinished hosts cancelled or skipped) and leaves the interrupt flag set.
     *
     * @throws IllegalArgumentException for ASYNC mode with a driver that has no asynchronous API
     */
    public static RunReport run(FanoutSetup setup, List<Host> hosts, Task task, RunOptions options,
            RunListener listener) {
        if (options.mode() == RunMode.ASYNC && !(setup.driver() instanceof AsyncSshDriver)) {
            throw new IllegalArgumentException("ASYNC mode needs a driver with an asynchronous API (mina); driver '"
                    + setup.driver().name() + "' has none: use VIRTUAL");
        }
        List<Host> distinct = List.copyOf(new LinkedHashSet<>(hosts));
        SafeListener safeListener = new SafeListener(listener);
        RunState state = new RunState(distinct, task, options, setup, safeListener);
        long start = System.nanoTime();
        safeListener.runStarted(distinct.size());
        HostStarter starter = starter(state);
        boolean interrupted = false;
        try {
            new Dispatcher(state, starter).dispatch();
            if (!state.awaitFinished(DEADLINE_GRACE_NANOS)) {
                state.stop("run deadline passed");
            }
        } catch (InterruptedException e) {
            interrupted = true;
            state.stop("interrupted");
        } finally {
            starter.close();
        }
        state.awaitFinishedUninterruptibly();
        if (interrupted || Thread.interrupted()) {
            Thread.currentThread().interrupt();
        }
        if (state.outputBudget().spent()) {
            LOG.warn("the run's output budget of {} bytes is spent: later output was counted, not kept "
                    + "(RunOptions.outputBudget, --output-budget)", state.outputBudget().bytes());
        }
        RunReport report = new RunReport(state.results(), hosts.size() - distinct.size(),
                Duration.ofNanos(System.nanoTime() - start));
        safeListener.runFinished(report);
        return report;
    }

    private static HostStarter starter(RunState state) {
        return switch (state.options().mode()) {
            case SERIAL -> ThreadStarters.platform(state, 1);
            case PLATFORM -> ThreadStarters.platform(state, state.options().threads());
            case VIRTUAL -> ThreadStarters.virtual(state);
            case ASYNC -> new AsyncStarter(state, (AsyncSshDriver) state.setup().driver());
        };
    }
}
