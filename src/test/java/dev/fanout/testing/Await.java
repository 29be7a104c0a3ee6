package dev.fanout.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for an event a test cannot be told of, by polling the condition that shows it. The deadline is no timing
 * assertion: it is far above the time the event takes even on a loaded machine, and only ends a wait that would
 * otherwise never end, with a message that says what never happened.
 */
public final class Await {

    /** How long a test waits for an event before it fails. */
    public static final Duration PATIENCE = Duration.ofSeconds(60);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param what the event, for the failure message ("the remote sleep runs")
     * @throws AssertionError if it does not hold within {@link #PATIENCE}
     */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(() -> what, condition);
    }

    /** As {@link #until(String, BooleanSupplier)}, the message made when the wait fails (to show the last state). */
    public static void until(Supplier<String> what, BooleanSupplier condition) throws InterruptedException {
        if (!within(PATIENCE, condition)) {
            throw new AssertionError("not within " + PATIENCE.toSeconds() + " s: " + what.get());
        }
    }

    /** Whether {@code condition} holds within {@code limit}, polled every few milliseconds at first, then less. */
    public static boolean within(Duration limit, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long pauseMillis = 5;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 100);
        }
        return true;
    }
}
