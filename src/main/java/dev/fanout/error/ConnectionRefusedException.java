package dev.fanout.error;

/**
 * Nothing listens on the host's port, or a firewall rejects the connection (or, through a bastion, the bastion
 * could not connect to the host). Retryable.
 */
public final class ConnectionRefusedException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param cause the driver's exception, or {@code null}
     */
    public ConnectionRefusedException(String host, String driver, Throwable cause) {
        super(host, Phase.CONNECT, driver, true, "connection refused", cause);
    }

    /**
     * The connection was refused further away: by the bastion the host is reached through, which could not
     * connect to it.
     *
     * @param host the host label
     * @param driver the driver's name
     * @param detail who refused and what was said, e.g. {@code bastion u@b:22 could not connect to web1:22:
     *     Connection refused}
     * @param cause the driver's exception, or {@code null}
     */
    public ConnectionRefusedException(String host, String driver, String detail, Throwable cause) {
        super(host, Phase.CONNECT, driver, true, "connection refused (" + detail + ")", cause);
    }

    @Override
    public String kind() {
        return "connection_refused";
    }
}
