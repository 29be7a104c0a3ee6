package dev.fanout.internal.schedule;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/** A semaphore whose waiters are futures, for the ASYNC mode's handshake limit. Zero permits means no limit. */
final class AsyncPermits {

    private final boolean limited;
    private final ReentrantLock lock = new ReentrantLock();
    private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
    private int available;

    AsyncPermits(int permits) {
        this.limited = permits > 0;
        this.available = permits;
    }

    /** Completes when a permit is held. */
    CompletableFuture<Void> acquire() {
        if (!limited) {
            return CompletableFuture.completedFuture(null);
        }
        lock.lock();
        try {
            if (available > 0) {
                available--;
                return CompletableFuture.completedFuture(null);
            }
            CompletableFuture<Void> turn = new CompletableFuture<>();
            waiting.add(turn);
            return turn;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a permit back, to the longest waiter if any. */
    void release() {
        if (!limited) {
            return;
        }
        CompletableFuture<Void> next;
        lock.lock();
        try {
            next = waiting.poll();
            while (next != null && next.isDone()) {
                next = waiting.poll();
            }
            if (next == null) {
                available++;
                return;
            }
        } finally {
            lock.unlock();
        }
        next.complete(null);
    }
}
