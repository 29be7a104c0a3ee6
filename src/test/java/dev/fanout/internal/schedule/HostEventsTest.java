package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.spi.LiveOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One host's listener calls: made in order on the delivery threads, output bounded while the listener is behind,
 * nothing after the host's last call.
 */
class HostEventsTest {

    private static final int CHUNK = 32 * 1024;

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aProducerWaitsAtTheBoundUntilTheListenerCatchesUp() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch listenerBehind = new CountDownLatch(1);
        Queue<Integer> heard = new ConcurrentLinkedQueue<>();
        AtomicInteger put = new AtomicInteger();
        try (ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor()) {
            HostEvents events = new HostEvents(delivery);
            int chunks = 3 * LiveOutput.BUFFER_BYTES / CHUNK;
            Thread producer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < chunks; i++) {
                    int index = i;
                    events.put(() -> {
                        if (index == 0) {
                            listenerBehind.countDown();
                            await(release);
                        }
                        heard.add(index);
                    }, CHUNK);
                    put.incrementAndGet();
                }
            });
            listenerBehind.await();
            // The bound's worth is queued (the chunk the listener is stuck in counting) and the producer waits.
            int bound = LiveOutput.BUFFER_BYTES / CHUNK;
            awaitParkedOrEnded(producer, () -> put.get() >= bound);
            assertTrue(producer.isAlive(), "the producer must wait, not hand over all " + chunks + " chunks");
            assertEquals(bound, put.get(), "chunks handed over while the listener was behind");
            release.countDown();
            producer.join();
            events.postLast(() -> heard.add(-1));
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 3 * LiveOutput.BUFFER_BYTES / CHUNK; i++) {
            expected.add(i);
        }
        expected.add(-1);
        assertEquals(expected, List.copyOf(heard), "every call, in order");
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theHostsLastCallFreesAWaitingProducerAndDropsLaterOutput() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch listenerBehind = new CountDownLatch(1);
        Queue<String> heard = new ConcurrentLinkedQueue<>();
        AtomicInteger consumed = new AtomicInteger();
        try (ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor()) {
            HostEvents events = new HostEvents(delivery);
            events.post(() -> {
                listenerBehind.countDown();
                await(release);
                heard.add("started");
            });
            AtomicInteger put = new AtomicInteger();
            Thread producer = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2 * LiveOutput.BUFFER_BYTES / CHUNK; i++) {
                    events.put(() -> heard.add("chunk"), CHUNK);
                    put.incrementAndGet();
                }
            });
            listenerBehind.await();
            awaitParkedOrEnded(producer, () -> put.get() >= LiveOutput.BUFFER_BYTES / CHUNK);
            events.postLast(() -> heard.add("finished"));
            producer.join();
            events.offer(() -> heard.add("late"), CHUNK, consumed::incrementAndGet);
            events.post(() -> heard.add("late"));
            assertEquals(1, consumed.get(), "output offered after the last call is given back at once");
            release.countDown();
        }
        List<String> calls = List.copyOf(heard);
        assertEquals("started", calls.get(0));
        assertEquals("finished", calls.get(calls.size() - 1));
        assertEquals(LiveOutput.BUFFER_BYTES / CHUNK, calls.size() - 2, "only the chunks queued before the end");
        assertTrue(calls.stream().noneMatch("late"::equals), calls.toString());
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void offeredOutputIsGivenBackOnlyOnceDelivered() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> order = new ConcurrentLinkedQueue<>();
        try (ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor()) {
            HostEvents events = new HostEvents(delivery);
            events.offer(() -> {
                await(release);
                order.add("delivered 1");
            }, CHUNK, () -> order.add("given back 1"));
            events.offer(() -> order.add("delivered 2"), CHUNK, () -> order.add("given back 2"));
            assertEquals(List.of(), List.copyOf(order), "offer never waits, and nothing is given back undelivered");
            release.countDown();
            events.postLast(() -> order.add("finished"));
        }
        assertEquals(List.of("delivered 1", "given back 1", "delivered 2", "given back 2", "finished"),
                List.copyOf(order));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aListenerBehindGetsOnlyTheLatestTransferProgress() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Queue<String> heard = new ConcurrentLinkedQueue<>();
        Object upload = new Object();
        try (ExecutorService delivery = Executors.newVirtualThreadPerTaskExecutor()) {
            HostEvents events = new HostEvents(delivery);
            events.post(() -> {
                await(release);
                heard.add("started");
            });
            for (int mib = 1; mib <= 5; mib++) {
                String progress = mib + " MiB";
                events.postProgress(upload, () -> heard.add(progress));
            }
            release.countDown();
            events.postLast(() -> heard.add("finished"));
        }
        assertEquals(List.of("started", "5 MiB", "finished"), List.copyOf(heard));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until {@code thread} has ended, or has reached {@code reached} and is parked (polling: neither has an
     * event to wait on).
     */
    private static void awaitParkedOrEnded(Thread thread, BooleanSupplier reached) throws InterruptedException {
        while (thread.isAlive() && !(reached.getAsBoolean() && thread.getState() == Thread.State.WAITING)) {
            Thread.sleep(5);
        }
    }
}
