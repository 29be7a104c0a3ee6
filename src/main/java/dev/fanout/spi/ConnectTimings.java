package dev.fanout.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a session took to set up.
 *
 * @param handshake TCP connect, version and key exchange, host key check
 * @param auth user authentication
 */
public record ConnectTimings(Duration handshake, Duration auth) {

    /** Rejects null durations. */
    public ConnectTimings {
        Objects.requireNonNull(handshake, "handshake");
        Objects.requireNonNull(auth, "auth");
    }

    /** From three {@link System#nanoTime()} readings: start, keys established, authenticated. */
    public static ConnectTimings between(long startNanos, long handshakeDoneNanos, long authDoneNanos) {
        return new ConnectTimings(Duration.ofNanos(handshakeDoneNanos - startNanos),
                Duration.ofNanos(authDoneNanos - handshakeDoneNanos));
    }
}
