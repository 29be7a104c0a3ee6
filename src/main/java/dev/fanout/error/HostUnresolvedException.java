package dev.fanout.error;

/** The host name could not be resolved to an address. Not retryable. */
public final class HostUnresolvedException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param cause the driver's exception, or {@code null}
     */
    public HostUnresolvedException(String host, String driver, Throwable cause) {
        super(host, Phase.CONNECT, driver, false, "host name cannot be resolved", cause);
    }

    @Override
    public String kind() {
        return "host_unresolved";
    }
}
