package dev.fanout.error;

import java.time.Duration;

/**
 * The host did not finish connecting in time: TCP connect, the handshake (e.g. no SSH banner) or authentication, as
 * {@link #phase()} says. Retryable.
 */
public final class ConnectTimeoutException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param phase the phase that was running out of time
     * @param limit the time limit that passed
     * @param cause the driver's exception, or {@code null}
     */
    public ConnectTimeoutException(String host, String driver, Phase phase, Duration limit, Throwable cause) {
        super(host, phase, driver, true, "no answer within " + limit.toMillis() + " ms during " + phase.label(), cause);
    }

    @Override
    public String kind() {
        return "connect_timeout";
    }
}
