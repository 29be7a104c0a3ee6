package dev.fanout.error;

/**
 * The SSH version or key exchange failed: no common algorithm (not retryable), or the connection was closed or reset
 * during the handshake, as OpenSSH does beyond MaxStartups (retryable).
 */
public final class HandshakeFailedException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param retryable whether the failure may pass (reset or closed, rather than a negotiation failure)
     * @param reason what went wrong
     * @param cause the driver's exception, or {@code null}
     */
    public HandshakeFailedException(String host, String driver, boolean retryable, String reason, Throwable cause) {
        super(host, Phase.KEY_EXCHANGE, driver, retryable, "SSH handshake failed: " + reason, cause);
    }

    @Override
    public String kind() {
        return "handshake_failed";
    }
}
