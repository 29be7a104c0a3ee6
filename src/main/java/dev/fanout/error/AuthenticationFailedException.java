package dev.fanout.error;

/** The server refused every authentication method offered. Not retryable. */
public final class AuthenticationFailedException extends FanoutException {

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param methods the methods offered, e.g. {@code publickey,password}
     * @param cause the driver's exception, or {@code null}
     */
    public AuthenticationFailedException(String host, String driver, String methods, Throwable cause) {
        super(host, Phase.AUTH, driver, false, "authentication failed (methods tried: " + methods + ")", cause);
    }

    @Override
    public String kind() {
        return "auth_failed";
    }
}
