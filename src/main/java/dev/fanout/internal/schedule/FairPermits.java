package dev.fanout.internal.schedule;

import dev.fanout.internal.pool.ConnectPermits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The handshake permits of one client, shared by all its runs and handed out fairly between them. Each run draws
 * through a {@link Lane} of its own, which may have a limit of its own too (the run's {@code maxHandshakes}). When a
 * permit comes free it goes to the next waiting run in turn (round robin over the runs that wait and are under their
 * own limit), and within a run to its longest waiter. So a run of 5,000 hosts that queued first cannot hold back a
 * run of 10 submitted after it: the small run gets every other permit until its hosts are through, where a single
 * first-come-first-served queue would make it wait behind all 5,000.
 *
 * <p>Waiters are futures, so the ASYNC mode waits without a thread; blocking callers wait on theirs. A waiter that
 * gives up (cancelled, interrupted) is passed over; a permit granted to it at the same moment is given back.
 * Futures are completed outside the lock, on the thread that released the permit. Thread-safe.
 */
final class FairPermits {

    private final ReentrantLock lock = new ReentrantLock();
    /** Lanes with a waiter and room under their own limit, in the order of their turns. */
    private final Queue<Lane> turns = new ArrayDeque<>();
    private long available;

    /** @param permits permits in all, 0 for no limit */
    FairPermits(int permits) {
        this.available = permits > 0 ? permits : Long.MAX_VALUE;
    }

    /** A lane for one run, holding at most {@code limit} permits at once (0: only the shared limit applies). */
    Lane lane(int limit) {
        return new Lane(limit > 0 ? limit : Integer.MAX_VALUE);
    }

    /** Hands free permits to waiting lanes in turn; called with the lock held. Returns the grants to complete. */
    private List<Grant> grantsLocked() {
        List<Grant> grants = new ArrayList<>(1);
        while (available > 0 && !turns.isEmpty()) {
            Lane lane = turns.poll();
            lane.inTurns = false;
            CompletableFuture<Void> waiter = lane.nextWaiter();
            if (waiter == null) {
                continue;
            }
            lane.held++;
            available--;
            grants.add(new Grant(lane, waiter));
            lane.takeTurnIfWaiting();
        }
        return grants;
    }

    private static void complete(List<Grant> grants) {
        for (Grant grant : grants) {
            if (!grant.waiter.complete(null)) {
                grant.lane.release();
            }
        }
    }

    private record Grant(Lane lane, CompletableFuture<Void> waiter) {
    }

    /** One run's way to the client's permits. */
    final class Lane implements ConnectPermits {
        private final int limit;
        private final Queue<CompletableFuture<Void>> waiting = new ArrayDeque<>();
        private int held;
        private boolean inTurns;

        private Lane(int limit) {
            this.limit = limit;
        }

        /** Completes when a permit is held; cancel it to stop waiting. */
        CompletableFuture<Void> acquireAsync() {
            CompletableFuture<Void> turn = new CompletableFuture<>();
            lock.lock();
            try {
                if (nextWaiterIsNone() && held < limit && available > 0) {
                    held++;
                    available--;
                    turn.complete(null);
                    return turn;
                }
                waiting.add(turn);
                takeTurnIfWaiting();
            } finally {
                lock.unlock();
            }
            return turn;
        }

        /** Waits for a permit on this thread. */
        @Override
        public void acquire() {
            CompletableFuture<Void> turn = acquireAsync();
            try {
                turn.get();
            } catch (InterruptedException e) {
                if (!turn.cancel(false)) {
                    release();
                }
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted while waiting to connect");
            } catch (ExecutionException e) {
                throw new IllegalStateException("a permit's future failed", e);
            }
        }

        @Override
        public void release() {
            List<Grant> grants;
            lock.lock();
            try {
                held--;
                available++;
                takeTurnIfWaiting();
                grants = grantsLocked();
            } finally {
                lock.unlock();
            }
            complete(grants);
        }

        /** Joins the turns (at the back) when it has a waiter and room; lock held. */
        private void takeTurnIfWaiting() {
            if (!inTurns && held < limit && !waiting.isEmpty()) {
                turns.add(this);
                inTurns = true;
            }
        }

        /** Drops waiters that gave up from the head; true when none is left. Lock held. */
        private boolean nextWaiterIsNone() {
            while (!waiting.isEmpty() && waiting.peek().isDone()) {
                waiting.poll();
            }
            return waiting.isEmpty();
        }

        /** The longest waiter that has not given up, or null; lock held. */
        private CompletableFuture<Void> nextWaiter() {
            return nextWaiterIsNone() ? null : waiting.poll();
        }
    }
}
