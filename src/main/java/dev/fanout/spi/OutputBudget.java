package dev.fanout.spi;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of command output a whole run may keep, shared by every stream of every host: each stream takes what it
 * keeps from it, and once it is spent, output is counted, not kept. Caps the
 * memory a run's report holds whatever the host count (5,000 hosts x 2 streams x 1 MiB would be 10 GB).
 * Thread-safe and lock-free.
 */
public final class OutputBudget {

    private final long bytes;
    private final AtomicLong left;
    private final AtomicBoolean spent = new AtomicBoolean();

    /** @param bytes how many bytes of output may be kept in all */
    public OutputBudget(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("an output budget must not be negative: " + bytes);
        }
        this.bytes = bytes;
        this.left = new AtomicLong(bytes);
    }

    /** A budget that never runs out, for single commands outside a run. */
    public static OutputBudget unlimited() {
        return new OutputBudget(Long.MAX_VALUE);
    }

    /** Takes up to {@code wanted} bytes; returns how many may be kept (fewer, down to 0, once the budget runs out). */
    public long take(long wanted) {
        while (true) {
            long now = left.get();
            long granted = Math.min(now, wanted);
            if (left.compareAndSet(now, now - granted)) {
                if (granted < wanted) {
                    spent.set(true);
                }
                return granted;
            }
        }
    }

    /** The budget's size in bytes. */
    public long bytes() {
        return bytes;
    }

    /** Whether some output was dropped for want of budget. */
    public boolean spent() {
        return spent.get();
    }
}
