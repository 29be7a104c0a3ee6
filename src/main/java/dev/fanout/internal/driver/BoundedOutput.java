package dev.fanout.internal.driver;

import dev.fanout.Output;
import dev.fanout.spi.OutputBudget;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An output stream that keeps the first {@code limit} bytes written to it, as far as the run's
 * {@link OutputBudget} allows, counts and drops the rest, and signals when it is closed. Drivers hand one per
 * command stream to their library, whose I/O thread writes into it, so output is drained at full speed whatever its
 * size and memory stays bounded by the limit and the budget. What is kept is always a prefix of the stream.
 *
 * <p>Thread-safe: one thread writes while another may take a {@link #snapshot()} (on a timeout). Guarded by a
 * {@link ReentrantLock}, not {@code synchronized}, so virtual threads never pin on it.
 */
public final class BoundedOutput extends OutputStream {

    private static final int INITIAL_CAPACITY = 256;

    private final int limit;
    private final OutputBudget budget;
    private final ReentrantLock lock = new ReentrantLock();
    private final ByteArrayOutputStream kept;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private long total;
    private boolean starved;

    /** @param limit how many bytes to keep; more are counted and dropped */
    public BoundedOutput(int limit) {
        this(limit, OutputBudget.unlimited());
    }

    /**
     * @param limit how many bytes to keep; more are counted and dropped
     * @param budget the run's budget, which the bytes kept are taken from; once it refuses, nothing more is kept
     */
    public BoundedOutput(int limit, OutputBudget budget) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        this.limit = limit;
        this.budget = Objects.requireNonNull(budget, "budget");
        this.kept = new ByteArrayOutputStream(Math.min(limit, INITIAL_CAPACITY));
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        lock.lock();
        try {
            int room = (int) Math.max(0, Math.min(length, limit - total));
            if (room > 0 && !starved) {
                int granted = (int) budget.take(room);
                kept.write(bytes, offset, granted);
                starved = granted < room;
            }
            total += length;
        } finally {
            lock.unlock();
        }
    }

    /** Marks the stream finished; completes {@link #closed()}. */
    @Override
    public void close() {
        closed.complete(null);
    }

    /** Completes when the stream is closed (the library saw the end of the stream or of the channel). */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    /** The bytes kept so far and the total count. */
    public Output snapshot() {
        lock.lock();
        try {
            return Output.of(kept.toByteArray(), total);
        } finally {
            lock.unlock();
        }
    }
}
