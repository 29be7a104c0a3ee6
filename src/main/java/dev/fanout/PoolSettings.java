package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the session pool ({@link Fanout.Builder#sessionPool(PoolSettings)}).
 *
 * @param maxPerHost sessions kept or on loan per host (user, address, port, credentials), default 4
 * @param maxWait how long a borrower waits when a host's sessions are all on loan, default 30 s
 * @param idleTimeout how long an idle session is kept, default 60 s: shorter than typical server idle limits
 *     ({@code ClientAliveInterval}, load balancers), so the pool rarely holds a session the server has dropped
 * @param evictionInterval how often idle sessions are checked, default 15 s
 */
public record PoolSettings(int maxPerHost, Duration maxWait, Duration idleTimeout, Duration evictionInterval) {

    /** The defaults: 4 per host, 30 s wait, 60 s idle, checked every 15 s. */
    public static final PoolSettings DEFAULTS =
            new PoolSettings(4, Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(15));

    /** Validates every field. */
    public PoolSettings {
        if (maxPerHost < 1) {
            throw new IllegalArgumentException("maxPerHost must be at least 1: " + maxPerHost);
        }
        for (Duration value : new Duration[] {maxWait, idleTimeout, evictionInterval}) {
            Objects.requireNonNull(value, "duration");
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("pool durations must be positive: " + value);
            }
        }
    }
}
