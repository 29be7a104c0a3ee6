package dev.fanout.error;

/**
 * The server offered a host key that differs from the one recorded for it in known_hosts, a key of a type not
 * recorded for a host known by keys of other types, or a key marked {@code @revoked}: possibly a man-in-the-middle
 * attack, or a reinstalled host. Never retryable and never accepted by any policy but ACCEPT_ALL.
 */
public final class HostKeyChangedException extends FanoutException {

    private final String fingerprint;

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param keyType the offered key's type
     * @param fingerprint the offered key's {@code SHA256:...} fingerprint
     * @param where the known_hosts file and line of the recorded key, or the revocation
     * @param cause the driver's exception, or {@code null}
     */
    public HostKeyChangedException(String host, String driver, String keyType, String fingerprint, String where,
            Throwable cause) {
        super(host, Phase.HOST_KEY, driver, false,
                "HOST KEY CHANGED: server offered " + keyType + " " + fingerprint + ", which conflicts with " + where,
                cause);
        this.fingerprint = fingerprint;
    }

    /** The offered key's {@code SHA256:...} fingerprint. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String kind() {
        return "host_key_changed";
    }
}
