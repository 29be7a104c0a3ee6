package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.HostTimings;
import dev.fanout.RunOptions;
import dev.fanout.RunProgress;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.internal.events.FlightRecording;
import dev.fanout.internal.events.HostEvent;
import dev.fanout.spi.OutputBudget;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The shared state of one run: each host's result slot (filled exactly once) and where it stands (waiting, running,
 * done), the hosts running now, the limits, the deadline, and why the run stopped early if it did. Thread-safe.
 */
final class RunState {

    /** Where a host stands; it only moves forward. */
    private static final int WAITING = 0;
    private static final int RUNNING = 1;
    private static final int DONE = 2;
    /** Cancelled before it started: skipped when its turn comes (on a run thread, which tells the listener). */
    private static final int SKIP_AT_TURN = 3;

    /** The progress counter packs hosts started (or skipped) in its high half, hosts done in its low half. */
    private static final long STARTED = 1L << 32;
    private static final long FINISHED = 1L;

    private final List<Target> targets;
    private final List<Host> hosts;
    private final Task task;
    private final RunOptions options;
    private final FanoutSetup setup;
    private final SafeListener listener;
    /** Makes the listener's calls: a virtual thread while a host has calls waiting. */
    private final ExecutorService delivery;
    private final AtomicReferenceArray<HostEvents> events;
    private final AtomicReferenceArray<HostResult> results;
    private final CountDownLatch finished;
    private final AtomicInteger failures = new AtomicInteger();
    private final Map<Integer, HostContext> running = new ConcurrentHashMap<>();
    private final AtomicIntegerArray stages;
    private final AtomicLong progress = new AtomicLong();
    private final Map<Host, Integer> indexes = new HashMap<>();
    private final FairPermits.Lane handshakes;
    private final OutputBudget outputBudget;
    private final long deadlineNanos;
    private volatile String stopReason;

    static {
        // Loaded with this class, before any host runs, rather than when a host first needs them: a host that fails
        // for want of open files ("Too many open files") may load no class then, and must still get its result.
        Objects.requireNonNull(HostStatus.FAILED);
        Objects.requireNonNull(HostTimings.NONE);
        Objects.requireNonNull(HostResult.class);
        Objects.requireNonNull(HostEvent.class);
        FlightRecording.started();
        Objects.requireNonNull(InternalErrors.class);
    }

    RunState(List<Target> targets, Task task, RunOptions options, FanoutSetup setup, SafeListener listener,
            FairPermits.Lane handshakes) {
        this.targets = targets;
        this.hosts = targets.stream().map(Target::host).toList();
        this.task = task;
        this.options = options;
        this.setup = setup;
        this.listener = listener;
        this.delivery = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fanout-listener-", 0).factory());
        this.events = new AtomicReferenceArray<>(hosts.size());
        this.results = new AtomicReferenceArray<>(hosts.size());
        this.finished = new CountDownLatch(hosts.size());
        this.stages = new AtomicIntegerArray(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            indexes.putIfAbsent(hosts.get(i), i);
        }
        this.handshakes = handshakes;
        this.outputBudget = new OutputBudget(options.outputBudget());
        this.deadlineNanos = options.runDeadline().map(limit -> System.nanoTime() + limit.toNanos())
                .orElse(Long.MAX_VALUE);
    }

    List<Host> hosts() {
        return hosts;
    }

    /** Host {@code index} with its inputs: credentials and variables. */
    Target target(int index) {
        return targets.get(index);
    }

    Task task() {
        return task;
    }

    RunOptions options() {
        return options;
    }

    /** The user's listener, guarded. */
    SafeListener listener() {
        return listener;
    }

    /** The queue of the listener's calls about host {@code index}, made at the first call. */
    HostEvents events(int index) {
        HostEvents queue = events.get(index);
        if (queue == null) {
            events.compareAndSet(index, null, new HostEvents(delivery));
            queue = events.get(index);
        }
        return queue;
    }

    /**
     * Waits until every listener call about a host has been made and the threads that made them have ended; called
     * once every host has its result, when no call can come any more.
     */
    void awaitListenerCalls() {
        delivery.close();
    }

    FanoutSetup setup() {
        return setup;
    }

    /** The run's way to its client's handshake permits, within the run's own limit. */
    FairPermits.Lane handshakes() {
        return handshakes;
    }

    /** The output the run may still keep, shared by every command of every host. */
    OutputBudget outputBudget() {
        return outputBudget;
    }

    /** When the run's deadline passes ({@link System#nanoTime()} scale; {@code Long.MAX_VALUE} for none). */
    long deadlineNanos() {
        return deadlineNanos;
    }

    boolean deadlinePassed() {
        return System.nanoTime() - deadlineNanos >= 0 && deadlineNanos != Long.MAX_VALUE;
    }

    /**
     * Starts tracking a host; returns null (and records it SKIPPED) when the run has stopped or the host was
     * cancelled before its turn.
     */
    HostContext begin(int index) {
        String reason = stopReason;
        if (reason != null) {
            tryRecord(index, HostResult.skipped(hosts.get(index), "not started: " + reason), null);
            return null;
        }
        HostContext context = new HostContext(index, targets.get(index), setup.driver().name());
        running.put(index, context);
        if (!stages.compareAndSet(index, WAITING, RUNNING)) {
            running.remove(index);
            tryRecord(index, HostResult.skipped(hosts.get(index), "not started: cancelled"), context);
            return null;
        }
        progress.addAndGet(STARTED);
        Host host = hosts.get(index);
        events(index).post(() -> listener.hostStarted(host));
        String stopped = stopReason;
        if (stopped != null) {
            context.cancel(stopped);
        }
        return context;
    }

    /**
     * Cancels one host: a running one ends CANCELLED, one not started yet SKIPPED when its turn comes (at once,
     * without connecting). The other hosts go on.
     *
     * @return false when the host is not in the run or already has its result (or its cancellation)
     */
    boolean cancel(Host host) {
        Integer index = indexes.get(host);
        if (index == null || stages.compareAndSet(index, WAITING, SKIP_AT_TURN)) {
            return index != null;
        }
        HostContext context = running.get(index);
        if (context == null || results.get(index) != null) {
            return false;
        }
        context.cancel("cancelled");
        return true;
    }

    /** Hosts waiting, running and done now; the counts always add up, read together. */
    RunProgress progress() {
        long now = progress.get();
        int started = (int) (now >>> 32);
        int done = (int) now;
        return new RunProgress(hosts.size(), hosts.size() - started, started - done, done);
    }

    /** Records a host's one result and tells the listener; a second result for the same host is a bug. */
    void finish(HostContext context, HostResult result) {
        running.remove(context.index());
        if (!tryRecord(context.index(), result, context)) {
            throw new IllegalStateException("a second result for " + hosts.get(context.index()));
        }
    }

    /**
     * Gives host {@code index} a FAILED result naming {@code cause} unless it has one already: the way out for a
     * host whose work ended by something thrown past its runner (an {@link Error} included), so that no host is
     * left without a result and the run never waits for it.
     */
    void ensureResult(int index, Throwable cause) {
        if (results.get(index) != null) {
            return;
        }
        HostContext context = running.remove(index);
        if (context != null) {
            context.cancel("internal error");
        }
        String detail = cause == null ? "internal error: the host ended without a result"
                : InternalErrors.detail(cause);
        tryRecord(index, new HostResult(hosts.get(index), HostStatus.FAILED, Optional.empty(), detail, List.of(),
                HostTimings.NONE, 0, List.of()), context);
    }

    /**
     * Fills the host's slot if empty, commits its JFR event (begun with {@code context}, or now for a host that never
     * started; none without a flight recording), then queues the listener's last call about the host. The host
     * counts as done once its slot is filled, whatever is thrown after: the count-down is in {@code finally}.
     */
    private boolean tryRecord(int index, HostResult result, HostContext context) {
        if (!results.compareAndSet(index, null, result)) {
            return false;
        }
        try {
            if (context != null) {
                context.endEvent(result);
            } else if (FlightRecording.started()) {
                HostEvent.begin(result.host(), setup.driver().name()).end(result);
            }
            progress.addAndGet(stages.getAndSet(index, DONE) == RUNNING ? FINISHED : STARTED + FINISHED);
            if (result.status() == HostStatus.FAILED || result.status() == HostStatus.TIMED_OUT) {
                int failed = failures.incrementAndGet();
                if (options.failFastAfter() > 0 && failed >= options.failFastAfter()) {
                    stop("fail-fast after " + failed + " failed host" + (failed == 1 ? "" : "s"));
                }
            }
            events(index).postLast(() -> listener.hostFinished(result));
        } finally {
            finished.countDown();
        }
        return true;
    }

    /** Stops the run: hosts not started yet are skipped, running ones cancelled. The first reason wins. */
    void stop(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
        String first = stopReason;
        running.values().forEach(context -> context.cancel(first));
    }

    /** Why the run stopped early, or null. */
    String stopReason() {
        return stopReason;
    }

    /** Waits until every host has a result, at most until the deadline (plus {@code graceNanos}). */
    boolean awaitFinished(long graceNanos) throws InterruptedException {
        if (deadlineNanos == Long.MAX_VALUE) {
            finished.await();
            return true;
        }
        return finished.await(deadlineNanos + graceNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Waits for every host without a time limit, ignoring interrupts (used after cancelling, when it is quick). */
    void awaitFinishedUninterruptibly() {
        Uninterruptibly.await(finished::await);
    }

    /** The results in input order; a host with none (which would be a bug) is reported cancelled, never lost. */
    List<HostResult> results() {
        HostResult[] all = new HostResult[hosts.size()];
        for (int i = 0; i < all.length; i++) {
            HostResult result = results.get(i);
            all[i] = result != null ? result : HostResult.skipped(hosts.get(i), "no result was recorded");
        }
        return List.of(all);
    }
}
