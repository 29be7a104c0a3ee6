package dev.fanout.error;

/**
 * A connection or channel broke after the handshake: the connection dropped during authentication, the server
 * closed the session or died, or a channel could not be opened. Retryable unless in {@link Phase#EXEC}, where the
 * command may have run in part.
 */
public final class SessionLostException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param phase {@link Phase#AUTH}, {@link Phase#CHANNEL} or {@link Phase#EXEC}
     * @param reason what was seen
     * @param cause the driver's exception, or {@code null}
     */
    public SessionLostException(String host, String driver, Phase phase, String reason, Throwable cause) {
        super(host, phase, driver, phase != Phase.EXEC, "session lost: " + reason, cause);
    }

    @Override
    public String kind() {
        return "session_lost";
    }
}
