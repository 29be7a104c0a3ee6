package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testing.Await;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client's handshake permits: shared by runs in turn, each run within its own limit, nothing lost. */
class FairPermitsTest {

    @Test
    void aPermitThatComesFreeGoesToTheNextRunInTurnNotToTheLongestWaiter() {
        FairPermits permits = new FairPermits(1);
        FairPermits.Lane big = permits.lane(0);
        FairPermits.Lane small = permits.lane(0);
        assertTrue(big.acquireAsync().isDone(), "a free permit is taken at once");
        Map<String, CompletableFuture<Void>> waiters = new LinkedHashMap<>();
        for (int i = 0; i < 4; i++) {
            waiters.put("big" + i, big.acquireAsync());
        }
        for (int i = 0; i < 2; i++) {
            waiters.put("small" + i, small.acquireAsync());
        }
        List<String> grants = new ArrayList<>();
        FairPermits.Lane holder = big;
        for (int i = 0; i < 6; i++) {
            holder.release();
            String granted = waiters.entrySet().stream()
                    .filter(waiter -> waiter.getValue().isDone() && !grants.contains(waiter.getKey()))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            grants.add(granted);
            holder = granted.startsWith("big") ? big : small;
        }
        // A single first-come-first-served queue would give big0..big3 first: the small run would wait for all.
        assertEquals(List.of("big0", "small0", "big1", "small1", "big2", "big3"), grants);
    }

    @Test
    void aRunStaysWithinItsOwnLimitWhileOthersUseTheRest() {
        FairPermits permits = new FairPermits(3);
        FairPermits.Lane limited = permits.lane(1);
        FairPermits.Lane other = permits.lane(0);
        assertTrue(limited.acquireAsync().isDone());
        CompletableFuture<Void> second = limited.acquireAsync();
        assertFalse(second.isDone(), "the run's own limit of 1 is reached");
        assertTrue(other.acquireAsync().isDone());
        assertTrue(other.acquireAsync().isDone());
        CompletableFuture<Void> fourth = other.acquireAsync();
        assertFalse(fourth.isDone(), "the client's 3 are taken");
        other.release();
        assertTrue(fourth.isDone(), "the limited run may not take it: the other run's waiter does");
        assertFalse(second.isDone());
        limited.release();
        assertTrue(second.isDone());
    }

    @Test
    void aWaiterThatGaveUpPassesThePermitOn() {
        FairPermits permits = new FairPermits(1);
        FairPermits.Lane lane = permits.lane(0);
        assertTrue(lane.acquireAsync().isDone());
        CompletableFuture<Void> gaveUp = lane.acquireAsync();
        CompletableFuture<Void> next = lane.acquireAsync();
        assertTrue(gaveUp.cancel(false));
        lane.release();
        assertTrue(next.isDone() && !next.isCompletedExceptionally());
        lane.release();
        assertTrue(permits.lane(0).acquireAsync().isDone(), "no permit was lost to the waiter that gave up");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anInterruptedBlockingWaitKeepsNoPermitAndSaysWhy() throws Exception {
        FairPermits permits = new FairPermits(1);
        FairPermits.Lane lane = permits.lane(0);
        lane.acquire();
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        CompletableFuture<Boolean> flagKept = new CompletableFuture<>();
        Thread waiter = Thread.ofVirtual().start(() -> {
            outcome.complete(assertThrows(CancellationException.class, lane::acquire));
            flagKept.complete(Thread.currentThread().isInterrupted());
        });
        Await.until(() -> "the waiter waits for the one permit: " + waiter.getState(),
                () -> waiter.getState() == Thread.State.WAITING || !waiter.isAlive());
        assertTrue(waiter.isAlive(), "the waiter waits for the one permit");
        waiter.interrupt();
        assertEquals("interrupted while waiting to connect", outcome.get(10, TimeUnit.SECONDS).getMessage());
        assertTrue(flagKept.get(10, TimeUnit.SECONDS), "the interrupt flag is set again");
        lane.release();
        assertTrue(lane.acquireAsync().isDone(), "the permit is free again");
    }
}
