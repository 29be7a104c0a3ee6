package dev.fanout.internal.schedule;

/**
 * How a run mode starts one host: on a thread of its own (VIRTUAL), on a pool thread (SERIAL, PLATFORM), or as a
 * chain of futures (ASYNC). When the host's turn comes, implementations begin it ({@link RunState#begin}, which
 * skips it if the run has stopped meanwhile), record its result, and then call {@code done}, exactly once.
 */
interface HostStarter extends AutoCloseable {

    void start(int index, Runnable done);

    /** Waits until every thread the starter made has ended: no thread outlives the run. */
    @Override
    void close();
}
