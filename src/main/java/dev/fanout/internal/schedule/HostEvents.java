package dev.fanout.internal.schedule;

import dev.fanout.spi.LiveOutput;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listener's calls about one host, queued in the order they happen and made one at a time on a thread of the
 * run's ({@code delivery}), so that no listener code runs on an SSH library's thread or a host's own, and a slow
 * listener holds back only its host.
 *
 * <p>Design: a serial queue over a thread-per-task executor; a delivering thread runs while the queue has calls and
 * ends when it is empty. Calls that are not output are queued whatever the queue holds (a host has a few per step;
 * transfer progress is coalesced to its latest). Output counts against {@link LiveOutput#BUFFER_BYTES}: a
 * flow-controlled driver {@linkplain #offer offers} it without blocking and is told when each chunk is delivered,
 * a driver with a reading thread per session {@linkplain #put puts} it, waiting while the bound is reached. Once the
 * host's last call ({@code hostFinished}) is queued, output still coming (from a command that outlived its host) is
 * dropped and waiting producers go free. Thread-safe.
 */
final class HostEvents {

    private static final Logger LOG = LoggerFactory.getLogger(HostEvents.class);

    /** One queued call: output counts its bytes, and may have something to do once delivered. */
    private record Call(Runnable call, int bytes, Runnable consumed, Object progressOf) {
    }

    private final Executor delivery;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<Call> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean delivering;
    private boolean over;

    HostEvents(Executor delivery) {
        this.delivery = delivery;
    }

    /** Queues a call that is not output; never blocks. */
    void post(Runnable call) {
        enqueue(new Call(call, 0, null, null), false);
    }

    /** Queues the host's last call; output coming later is dropped. */
    void postLast(Runnable call) {
        enqueue(new Call(call, 0, null, null), true);
    }

    /**
     * Queues a progress call of {@code step}, in place of one of the same step still waiting at the end of the
     * queue, so that a listener that is behind gets only the latest.
     */
    void postProgress(Object step, Runnable call) {
        lock.lock();
        try {
            Call last = queue.peekLast();
            if (last != null && last.progressOf() == step) {
                queue.pollLast();
            }
        } finally {
            lock.unlock();
        }
        enqueue(new Call(call, 0, null, step), false);
    }

    /** Queues output without blocking; {@code consumed} runs once it is delivered (at once if the host is over). */
    void offer(Runnable call, int bytes, Runnable consumed) {
        if (!enqueue(new Call(call, bytes, consumed, null), false)) {
            consumed.run();
        }
    }

    /**
     * Queues output, first waiting while {@link LiveOutput#BUFFER_BYTES} or more wait for delivery; returns at once,
     * dropping it, once the host is over. An interrupt ends the wait and stays in the thread's flag.
     */
    void put(Runnable call, int bytes) {
        lock.lock();
        try {
            while (queuedBytes >= LiveOutput.BUFFER_BYTES && !over) {
                room.await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
        enqueue(new Call(call, bytes, null, null), false);
    }

    /** Queues {@code call} unless the host is over, and starts delivering if nothing does; false if dropped. */
    private boolean enqueue(Call call, boolean last) {
        boolean start;
        lock.lock();
        try {
            if (over) {
                return false;
            }
            over = last;
            queue.add(call);
            queuedBytes += call.bytes();
            start = !delivering;
            delivering = true;
            if (last) {
                room.signalAll();
            }
        } finally {
            lock.unlock();
        }
        if (start) {
            try {
                delivery.execute(this::deliver);
            } catch (RuntimeException e) {
                LOG.error("cannot deliver listener calls: {}", e.toString());
                lock.lock();
                try {
                    delivering = false;
                } finally {
                    lock.unlock();
                }
            }
        }
        return true;
    }

    /** Makes the queued calls in order until the queue is empty. */
    private void deliver() {
        while (true) {
            Call next;
            lock.lock();
            try {
                next = queue.poll();
                if (next == null) {
                    delivering = false;
                    return;
                }
            } finally {
                lock.unlock();
            }
            try {
                next.call().run();
            } finally {
                if (next.bytes() > 0) {
                    lock.lock();
                    try {
                        queuedBytes -= next.bytes();
                        room.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
                if (next.consumed() != null) {
                    next.consumed().run();
                }
            }
        }
    }
}
