package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits for one host.
 *
 * @param connect TCP connect plus key exchange and host key check (default 10 s)
 * @param auth authentication, after the handshake (default 10 s)
 * @param command one command, from opening its channel to its exit (default 10 min); past it the command ends
 *     with {@code CommandTimeoutException}, its channel closed and the remote process signalled
 */
public record Timeouts(Duration connect, Duration auth, Duration command) {

    /** The defaults: 10 s, 10 s, 10 min. */
    public static final Timeouts DEFAULTS =
            new Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofMinutes(10));

    /** Rejects null, zero and negative durations, naming the one at fault. */
    public Timeouts {
        requirePositive(connect, "connect");
        requirePositive(auth, "auth");
        requirePositive(command, "command");
    }

    /** A copy with another connect timeout. */
    public Timeouts withConnect(Duration value) {
        return new Timeouts(value, auth, command);
    }

    /** A copy with another auth timeout. */
    public Timeouts withAuth(Duration value) {
        return new Timeouts(connect, value, command);
    }

    /** A copy with another command timeout. */
    public Timeouts withCommand(Duration value) {
        return new Timeouts(connect, auth, value);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name + " timeout");
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " timeout must be positive: " + value);
        }
    }
}
