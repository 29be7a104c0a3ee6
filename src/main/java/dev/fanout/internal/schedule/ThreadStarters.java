package dev.fanout.internal.schedule;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread-based ways to start hosts, all over the blocking {@link HostRunner}, which never throws; should
 * anything escape it all the same, it is logged, never printed raw by the JVM's default handler.
 */
final class ThreadStarters {

    private static final Logger LOG = LoggerFactory.getLogger(ThreadStarters.class);

    private ThreadStarters() {
    }

    /** The uncaught-exception handler of every host thread. */
    private static void logUncaught(Thread thread, Throwable error) {
        LOG.error("{} ended by {}", thread.getName(), error.toString(), error);
    }

    /** One virtual thread per host (VIRTUAL). */
    static HostStarter virtual(RunState state) {
        HostRunner runner = new HostRunner(state);
        Queue<Thread> threads = new ConcurrentLinkedQueue<>();
        return new HostStarter() {
            @Override
            public void start(int index, Runnable done) {
                threads.add(Thread.ofVirtual().name("fanout-host-" + index)
                        .uncaughtExceptionHandler(ThreadStarters::logUncaught)
                        .start(() -> runner.runTurn(index, done)));
            }

            @Override
            public void close() {
                for (Thread thread : threads) {
                    Uninterruptibly.await(thread::join);
                }
            }
        };
    }

    /** A fixed pool of platform threads (PLATFORM with {@code threads}, SERIAL with one). */
    static HostStarter platform(RunState state, int threads) {
        HostRunner runner = new HostRunner(state);
        AtomicInteger counter = new AtomicInteger();
        Queue<Thread> made = new ConcurrentLinkedQueue<>();
        ExecutorService pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "fanout-worker-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    thread.setUncaughtExceptionHandler(ThreadStarters::logUncaught);
                    made.add(thread);
                    return thread;
                });
        return new HostStarter() {
            @Override
            public void start(int index, Runnable done) {
                pool.execute(() -> runner.runTurn(index, done));
            }

            @Override
            public void close() {
                pool.shutdown();
                for (Thread thread : made) {
                    Uninterruptibly.await(thread::join);
                }
            }
        };
    }
}
