package dev.fanout.fleet;

import dev.fanout.internal.Durations;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A simulated delay: fixed ({@code min == max}) or uniform in {@code [min, max]}, drawn anew for each event.
 *
 * @param min the shortest delay, zero or more
 * @param max the longest delay, at least {@code min}
 */
public record Latency(Duration min, Duration max) {

    /** No delay. */
    public static final Latency NONE = new Latency(Duration.ZERO, Duration.ZERO);

    /** Rejects negative and inverted ranges. */
    public Latency {
        Objects.requireNonNull(min, "min");
        Objects.requireNonNull(max, "max");
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("latency range must satisfy 0 <= min <= max: " + min + ".." + max);
        }
    }

    /** A fixed delay. */
    public static Latency fixed(Duration delay) {
        return new Latency(delay, delay);
    }

    /**
     * Parses {@code 100ms} (fixed) or {@code 50ms..150ms} (uniform range); units ms, s, m.
     *
     * @throws IllegalArgumentException naming the text when it is malformed
     */
    public static Latency parse(String text) {
        String[] parts = text.strip().split("\\.\\.", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("latency must be DURATION or MIN..MAX: '" + text + "'");
        }
        Duration min = Durations.parse(parts[0]);
        return new Latency(min, parts.length == 2 ? Durations.parse(parts[1]) : min);
    }

    /** A delay drawn from the range, in nanoseconds. */
    public long sampleNanos() {
        long low = min.toNanos();
        long high = max.toNanos();
        return low == high ? low : ThreadLocalRandom.current().nextLong(low, high + 1);
    }

    @Override
    public String toString() {
        return min.equals(max) ? Durations.format(min) : Durations.format(min) + ".." + Durations.format(max);
    }
}
