package dev.fanout.error;

import java.time.Duration;

/**
 * Every pooled session of the host stayed busy (in other runs, or other hosts of the same run with the same login)
 * for as long as the pool lets a borrower wait: nothing was sent to the host, no connection was tried. Phase
 * {@link Phase#CONNECT}, since getting a session is the first part of connecting. Retryable: the sessions come free
 * when their hosts are done. Raise {@code PoolSettings.maxPerHost} or {@code maxWait}, or run fewer jobs on the same
 * hosts at once.
 */
public final class PoolExhaustedException extends FanoutException {

    private final int maxPerHost;
    private final Duration maxWait;

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param maxPerHost the pool's sessions per host, all of which were on loan
     * @param maxWait how long the borrower waited
     * @param cause the pool's exception, or {@code null}
     */
    public PoolExhaustedException(String host, String driver, int maxPerHost, Duration maxWait, Throwable cause) {
        super(host, Phase.CONNECT, driver, true, "all " + maxPerHost + " pooled session" + (maxPerHost == 1 ? "" : "s")
                + " of the host stayed busy for " + maxWait.toMillis() + " ms (PoolSettings maxPerHost, maxWait)",
                cause);
        this.maxPerHost = maxPerHost;
        this.maxWait = maxWait;
    }

    /** The pool's sessions per host, all of which were on loan. */
    public int maxPerHost() {
        return maxPerHost;
    }

    /** How long the borrower waited. */
    public Duration maxWait() {
        return maxWait;
    }

    @Override
    public String kind() {
        return "pool_exhausted";
    }
}
