package dev.fanout.internal.schedule;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The few threads of an ASYNC run on which fanout does its own work (starting connects, which decode keys and look
 * up names; recording results, which calls the listener; retries), so that none of it runs on the driver's I/O or
 * timer threads, where it would stall every session. A fixed handful, whatever the host count; made per run and
 * ended with it.
 */
final class AsyncWorkers implements Executor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncWorkers.class);

    /** Two to four threads: the work is short, and a slow listener must not hold up the starting of connects. */
    static final int THREADS = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private final Queue<Thread> made = new ConcurrentLinkedQueue<>();
    private final ThreadPoolExecutor pool;

    AsyncWorkers() {
        AtomicInteger counter = new AtomicInteger();
        // A task is never dropped, even after close (which the run makes sure cannot happen): a dropped task would
        // be a host without its result.
        pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "fanout-async-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler((t, error) -> LOG.error("{} ended by {}", t.getName(),
                            error.toString(), error));
                    made.add(thread);
                    return thread;
                }, (task, executor) -> task.run());
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Lets queued work finish, then waits until every thread has ended. */
    @Override
    public void close() {
        pool.shutdown();
        for (Thread thread : made) {
            Uninterruptibly.await(thread::join);
        }
    }
}
