package dev.fanout.error;

/**
 * The server's host key is not in the known_hosts file and the policy is STRICT. Not retryable: add the key
 * (e.g. with {@code ssh-keyscan}, after checking its fingerprint) or choose ACCEPT_NEW.
 */
public final class HostKeyUnknownException extends FanoutException {

    private final String fingerprint;

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param keyType the key's type, e.g. {@code ssh-ed25519}
     * @param fingerprint the key's {@code SHA256:...} fingerprint
     * @param knownHosts the file that was searched
     * @param cause the driver's exception, or {@code null}
     */
    public HostKeyUnknownException(String host, String driver, String keyType, String fingerprint,
            String knownHosts, Throwable cause) {
        super(host, Phase.HOST_KEY, driver, false,
                "host key " + keyType + " " + fingerprint + " is not in " + knownHosts, cause);
        this.fingerprint = fingerprint;
    }

    /** The offered key's {@code SHA256:...} fingerprint. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public String kind() {
        return "host_key_unknown";
    }
}
