package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.spi.AsyncSshDriver;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The runs of one client: starts each on a thread of its own ({@link ScheduledRun}), shares the client's handshake
 * limit between them fairly ({@link FairPermits}), and on {@link #close()} cancels the runs still going and waits for
 * their reports. Thread-safe.
 */
public final class Scheduler implements AutoCloseable {

    private final FanoutSetup setup;
    private final FairPermits handshakes;
    private final Optional<RunListener> clientListener;
    private final Set<ScheduledRun> active = ConcurrentHashMap.newKeySet();
    private final AtomicLong submitted = new AtomicLong();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private boolean closed;

    /**
     * @param setup how hosts are reached
     * @param maxHandshakes connections being set up at once across all runs, 0 for no limit
     */
    public Scheduler(FanoutSetup setup, int maxHandshakes) {
        this(setup, maxHandshakes, Optional.empty());
    }

    /**
     * @param setup how hosts are reached
     * @param maxHandshakes connections being set up at once across all runs, 0 for no limit
     * @param clientListener told about every run, before the run's own listener
     */
    public Scheduler(FanoutSetup setup, int maxHandshakes, Optional<RunListener> clientListener) {
        this.setup = setup;
        this.handshakes = new FairPermits(maxHandshakes);
        this.clientListener = clientListener;
    }

    /**
     * Starts {@code task} on {@code targets} and returns at once. A host listed twice (same user, address and port)
     * with the same inputs runs once, at its first position; the report counts the duplicates removed.
     *
     * @throws IllegalArgumentException for ASYNC mode with a driver that has no asynchronous API, for a host listed
     *     twice with different inputs, or for a command referring to a variable its target does not set
     * @throws IllegalStateException once the scheduler is closed
     */
    public ScheduledRun submit(List<Target> targets, Task task, RunOptions options, RunListener listener) {
        if (options.mode() == RunMode.ASYNC && !(setup.driver() instanceof AsyncSshDriver)) {
            throw new IllegalArgumentException("ASYNC mode needs a driver with an asynchronous API (mina); driver '"
                    + setup.driver().name() + "' has none: use VIRTUAL");
        }
        List<Target> distinct = distinct(targets);
        task.requireVariables(distinct);
        RunState state = new RunState(distinct, task, options, setup, new SafeListener(listeners(listener)),
                handshakes.lane(options.maxHandshakes()));
        ScheduledRun run = new ScheduledRun(state, targets.size() - distinct.size());
        lifecycle.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the Fanout is closed: no new runs");
            }
            active.add(run);
            try {
                run.start("fanout-run-" + submitted.incrementAndGet(), () -> active.remove(run));
            } catch (RuntimeException | Error e) {
                active.remove(run);
                throw e;
            }
        } finally {
            lifecycle.unlock();
        }
        return run;
    }

    /** The targets in order, each host once; a host given again with other inputs is an error. */
    private static List<Target> distinct(List<Target> targets) {
        Map<Host, Target> byHost = new LinkedHashMap<>();
        for (Target target : targets) {
            Target first = byHost.putIfAbsent(target.host(), target);
            if (first != null && !first.equals(target)) {
                throw new IllegalArgumentException(target.host() + " is given twice with different credentials or "
                        + "variables: give each host once");
            }
        }
        return List.copyOf(byHost.values());
    }

    /** The client's listener, if it has one, then the run's. */
    private List<RunListener> listeners(RunListener runListener) {
        return clientListener.map(client -> List.of(client, runListener)).orElse(List.of(runListener));
    }

    /**
     * Refuses new runs, cancels the ones still going and waits until each has its report (which is quick: their hosts
     * are cancelled). Called from a listener, it cannot wait for the run calling it, so it waits for none.
     */
    @Override
    public void close() {
        List<ScheduledRun> going;
        lifecycle.lock();
        try {
            closed = true;
            going = List.copyOf(active);
        } finally {
            lifecycle.unlock();
        }
        going.forEach(run -> run.cancel("fanout closed"));
        if (!SafeListener.isCalling()) {
            going.forEach(ScheduledRun::awaitEnd);
        }
    }
}
