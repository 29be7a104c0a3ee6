package dev.fanout.spi;

import dev.fanout.error.FanoutException;
import dev.fanout.error.HostKeyChangedException;
import dev.fanout.error.HostKeyUnknownException;
import java.util.Objects;

/**
 * The outcome of a host key check, and the exception a refused one becomes (the same for every driver).
 *
 * @param status what the check found
 * @param keyType the offered key's type, e.g. {@code ssh-ed25519}
 * @param fingerprint the offered key's {@code SHA256:...} fingerprint
 * @param detail the known_hosts file searched, or the file and line that conflicts
 */
public record HostKeyVerdict(Status status, String keyType, String fingerprint, String detail) {

    /** What a host key check found. */
    public enum Status {
        /** The key is recorded for this host. */
        TRUSTED,
        /** The key was unknown and has been recorded (ACCEPT_NEW). */
        ADDED,
        /** Not checked (ACCEPT_ALL). */
        UNCHECKED,
        /** No key is recorded for the host. */
        UNKNOWN,
        /** Another key of this type, or only keys of other types, are recorded for the host; or the key is revoked. */
        CHANGED
    }

    /** Rejects null components. */
    public HostKeyVerdict {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(detail, "detail");
    }

    /** True when the connection may go on. */
    public boolean trusted() {
        return status == Status.TRUSTED || status == Status.ADDED || status == Status.UNCHECKED;
    }

    /**
     * The exception for a refused key.
     *
     * @throws IllegalStateException if the key was trusted
     */
    public FanoutException toException(String host, String driver, Throwable cause) {
        return switch (status) {
            case UNKNOWN -> new HostKeyUnknownException(host, driver, keyType, fingerprint, detail, cause);
            case CHANGED -> new HostKeyChangedException(host, driver, keyType, fingerprint, detail, cause);
            case TRUSTED, ADDED, UNCHECKED -> throw new IllegalStateException("host key was accepted: " + status);
        };
    }
}
