package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.RunHandle;
import dev.fanout.RunProgress;
import dev.fanout.RunReport;
import dev.fanout.spi.AsyncSshDriver;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One submitted run: the structured scope behind {@code Fanout.submit} and {@code Fanout.run}, on a virtual thread
 * of its own. The run owns its threads; its report is complete only when every host has its one result and every
 * thread the run made has ended. Written on Java 21's stable APIs (StructuredTaskScope is still a preview there) in
 * the same shape: fork per host, join all, cancel all on cancel, deadline or fail-fast.
 *
 * <p>The run's thread dispatches the hosts, waits for them and for the listener's calls about them (made on threads
 * of the run's, {@link HostEvents}), tells the listener the run finished, then completes the report's future: never
 * an SSH library's I/O thread. Cancelling interrupts that thread only while it dispatches
 * (waiting for a batch, an interval or a place in flight), never later, when it may be running the caller's
 * dependent stages.
 */
public final class ScheduledRun implements RunHandle {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRun.class);

    /** How long running hosts get after the run's deadline to report their own timeouts before being cancelled. */
    private static final long DEADLINE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final RunState state;
    private final int duplicatesRemoved;
    /** Completed by the run; the futures handed out are its copies, which cancel the run when cancelled. */
    private final CompletableFuture<RunReport> report = new CompletableFuture<>() {
        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CancellingCopy<>();
        }
    };
    private final ReentrantLock dispatchLock = new ReentrantLock();
    private Thread dispatching;
    private volatile Thread thread;

    ScheduledRun(RunState state, int duplicatesRemoved) {
        this.state = state;
        this.duplicatesRemoved = duplicatesRemoved;
    }

    /** Starts the run on a virtual thread named {@code name}; {@code onEnd} runs just before the report completes. */
    void start(String name, Runnable onEnd) {
        thread = Thread.ofVirtual().name(name).start(() -> execute(onEnd));
    }

    private void execute(Runnable onEnd) {
        long start = System.nanoTime();
        try {
            state.listener().runStarted(state.hosts().size());
            HostStarter starter = starter(state);
            try {
                dispatch(starter);
                if (!state.awaitFinished(DEADLINE_GRACE_NANOS)) {
                    state.stop("run deadline passed");
                }
            } catch (InterruptedException e) {
                state.stop("interrupted");
            } finally {
                starter.close();
            }
            state.awaitFinishedUninterruptibly();
            Thread.interrupted();
            state.awaitListenerCalls();
            if (state.outputBudget().spent()) {
                LOG.warn("the run's output budget of {} bytes is spent: later output was counted, not kept "
                        + "(RunOptions.outputBudget, --output-budget)", state.outputBudget().bytes());
            }
            RunReport done = new RunReport(state.results(), duplicatesRemoved,
                    Duration.ofNanos(System.nanoTime() - start));
            state.listener().runFinished(done);
            onEnd.run();
            report.complete(done);
        } catch (Throwable unexpected) {
            LOG.error("run failed: {}", unexpected.toString(), unexpected);
            state.stop("internal error");
            onEnd.run();
            report.completeExceptionally(unexpected);
        }
    }

    /** Starts every host; an interrupt meant for the dispatcher ends with it. */
    private void dispatch(HostStarter starter) {
        dispatchLock.lock();
        try {
            dispatching = Thread.currentThread();
        } finally {
            dispatchLock.unlock();
        }
        try {
            new Dispatcher(state, starter).dispatch();
        } finally {
            dispatchLock.lock();
            try {
                dispatching = null;
            } finally {
                dispatchLock.unlock();
            }
            Thread.interrupted();
        }
    }

    private static HostStarter starter(RunState state) {
        return switch (state.options().mode()) {
            case SERIAL -> ThreadStarters.platform(state, 1);
            case PLATFORM -> ThreadStarters.platform(state, state.options().threads());
            case VIRTUAL -> ThreadStarters.virtual(state);
            case ASYNC -> new AsyncStarter(state, (AsyncSshDriver) state.setup().driver());
        };
    }

    @Override
    public CompletableFuture<RunReport> report() {
        return report.copy();
    }

    /** A copy of the report's future that cancels the run when cancelled; stages made from it are plain futures. */
    private final class CancellingCopy<T> extends CompletableFuture<T> {
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            if (cancelled) {
                ScheduledRun.this.cancel();
            }
            return cancelled;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }

    @Override
    public RunProgress progress() {
        return state.progress();
    }

    @Override
    public boolean cancel() {
        return cancel("cancelled");
    }

    /** Cancels the run, giving the reason its cancelled and skipped hosts name. */
    boolean cancel(String reason) {
        if (report.isDone()) {
            return false;
        }
        state.stop(reason);
        dispatchLock.lock();
        try {
            if (dispatching != null) {
                dispatching.interrupt();
            }
        } finally {
            dispatchLock.unlock();
        }
        return true;
    }

    @Override
    public boolean cancel(Host host) {
        return state.cancel(Objects.requireNonNull(host, "host"));
    }

    /**
     * Waits for the report, the blocking form of a run: interrupting the caller cancels the run, which still
     * returns the full report (unfinished hosts cancelled or skipped) once its thread has ended, and leaves the
     * interrupt flag set.
     */
    public RunReport awaitReport() {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return report.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                    cancel("interrupted");
                } catch (ExecutionException e) {
                    throw rethrow(e.getCause());
                }
            }
        } finally {
            Uninterruptibly.await(thread::join);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits, without being interrupted, until the report is complete (or the run failed). */
    void awaitEnd() {
        Uninterruptibly.await(() -> {
            try {
                report.get();
            } catch (ExecutionException e) {
                // The run failed; it has ended all the same.
            }
        });
    }

    private static RuntimeException rethrow(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return failure instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("run failed: " + failure, failure);
    }
}
