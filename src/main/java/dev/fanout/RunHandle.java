package dev.fanout;

import java.util.concurrent.CompletableFuture;

/**
 * A run started by {@link Fanout#submit(java.util.List, Task, RunOptions, RunListener)}: its report to come, its
 * progress now, and the way to cancel it or one of its hosts. Thread-safe.
 *
 * <pre>{@code
 * RunHandle job = fanout.submit(hosts, Task.of("install.sh"), RunOptions.defaults(), listener);
 * RunProgress now = job.progress(); // for a status page: waiting, running, done
 * job.cancel(hosts.get(3)); // that host ends CANCELLED (or SKIPPED), the others go on
 * job.report().thenAccept(report -> store(report));
 * job.cancel(); // the operator pressed "cancel job"
 * }</pre>
 *
 * <p>Each run executes on a virtual thread of its own, owned by the {@code Fanout}: it starts the hosts (on the
 * threads of the run's {@link RunMode}), waits for them and completes the report, never on an SSH library's I/O
 * thread. Cancelling a run touches no other run of the same {@code Fanout}.
 */
public interface RunHandle {

    /**
     * The run's report, complete (one result per distinct host, in input order) once every host has its result and
     * every thread the run made has ended; each call returns a new future. It completes on the run's own thread:
     * stages added without an executor run there too (or on the calling thread once it is complete), so keep them
     * short or give an executor. Cancelling this future cancels the run, as {@link #cancel()} does; that future then
     * holds no report, but another call gives one that completes with the full report. It completes exceptionally
     * only if fanout itself failed (a bug), never because a host failed.
     */
    CompletableFuture<RunReport> report();

    /** How many hosts are waiting, running and done now; cheap enough to poll for a status page. */
    RunProgress progress();

    /**
     * Cancels the run: running hosts end CANCELLED (detail {@code cancelled}; their sessions closed), hosts not
     * started SKIPPED ({@code not started: cancelled}); the report is still complete. Returns at once; the report
     * follows promptly.
     *
     * @return false if the run had already finished
     */
    boolean cancel();

    /**
     * Cancels one host of the run: CANCELLED if it is running, SKIPPED (without connecting) when its turn comes if
     * it has not started. The other hosts go on.
     *
     * @return false if the host is not in the run or already has its result
     */
    boolean cancel(Host host);
}
