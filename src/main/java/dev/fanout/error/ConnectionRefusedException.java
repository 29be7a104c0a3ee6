package dev.fanout.error;

/** Nothing listens on the host's port, or a firewall rejects the connection. Retryable. */
public final class ConnectionRefusedException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param cause the driver's exception, or {@code null}
     */
    public ConnectionRefusedException(String host, String driver, Throwable cause) {
        super(host, Phase.CONNECT, driver, true, "connection refused", cause);
    }

    @Override
    public String kind() {
        return "connection_refused";
    }
}
