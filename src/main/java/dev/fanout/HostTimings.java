package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * Where a host's time went (each command's own duration is in its {@link ExecResult}).
 *
 * @param connect TCP connect, key exchange and host key check (zero if it never connected, or reused a session)
 * @param auth authentication (zero likewise)
 * @param total from the host's start to its result, retries and their waits included
 */
public record HostTimings(Duration connect, Duration auth, Duration total) {

    /** No time at all (skipped hosts). */
    public static final HostTimings NONE = new HostTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO);

    /** Rejects null durations. */
    public HostTimings {
        Objects.requireNonNull(connect, "connect");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(total, "total");
    }
}
