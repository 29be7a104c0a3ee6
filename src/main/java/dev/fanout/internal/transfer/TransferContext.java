package dev.fanout.internal.transfer;

import dev.fanout.spi.SshSession;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Where and how one transfer runs.
 *
 * @param session the host's session
 * @param driver the driver's name, for exceptions
 * @param timeout the limit for the whole transfer, checks included
 * @param progress told the bytes done so far, every {@link #PROGRESS_STEP} bytes and at the end; called on the
 *     transferring thread
 */
public record TransferContext(SshSession session, String driver, Duration timeout, LongConsumer progress) {

    /** How many bytes pass between two progress calls. */
    public static final long PROGRESS_STEP = 1 << 20;

    /** Rejects null components and a non-positive timeout. */
    public TransferContext {
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(progress, "progress");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** This context with progress told to {@code other} (a file of a tree, counted from the tree's bytes so far). */
    TransferContext withProgress(LongConsumer other) {
        return new TransferContext(session, driver, timeout, other);
    }

    /** This context with progress ignored (for reading a file back to check it). */
    TransferContext withoutProgress() {
        return new TransferContext(session, driver, timeout, bytes -> {
        });
    }

    String host() {
        return session.host().toString();
    }
}
