package dev.fanout;

import java.time.Duration;
import java.util.Objects;

/**
 * Retries of transient connect failures: refused or reset during the handshake (as beyond OpenSSH's MaxStartups), a
 * session lost before any command ran, and, only when asked, connect timeouts and waits for a busy host's pooled
 * session that ran out ({@link dev.fanout.error.PoolExhaustedException}), each of which has already cost its full
 * wait. Never authentication or host key failures, never a command that may have run. Waits grow exponentially from
 * {@code initialBackoff} to {@code maxBackoff}, each shortened by up to {@code jitter} (0..1) at random.
 *
 * @param maxAttempts attempts in all, 1 for no retry
 * @param initialBackoff the wait before the first retry
 * @param maxBackoff the longest wait
 * @param jitter the random share taken off each wait
 * @param retryConnectTimeouts whether connect timeouts (and pooled-session waits that ran out) are retried too
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, double jitter,
        boolean retryConnectTimeouts) {

    /** Validates every field. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must satisfy 0 <= initial <= max: " + initialBackoff + ", "
                    + maxBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be within 0..1: " + jitter);
        }
    }

    /** No retries. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, 0, false);
    }

    /** Up to {@code retries} retries, waiting 200 ms, 400 ms, ... up to 5 s, with 50% jitter. */
    public static RetryPolicy retries(int retries) {
        return new RetryPolicy(retries + 1, Duration.ofMillis(200), Duration.ofSeconds(5), 0.5, false);
    }

    /** This policy, retrying connect timeouts too. */
    public RetryPolicy withConnectTimeouts() {
        return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, jitter, true);
    }

    /** The wait before retry number {@code retry} (1-based), jitter not applied. */
    public Duration backoff(int retry) {
        Duration wait = initialBackoff.multipliedBy(1L << Math.min(retry - 1, 30));
        return wait.compareTo(maxBackoff) > 0 || wait.isNegative() ? maxBackoff : wait;
    }
}
