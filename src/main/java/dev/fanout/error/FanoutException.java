package dev.fanout.error;

import java.util.Objects;

/**
 * The one family of exceptions fanout throws for a failure on a host. Each subtype is a failure a caller can act
 * on; whichever driver is in use, the same fault gives the same subtype.
 *
 * <p>Every instance names the host ({@code user@address:port}), the {@link Phase} it failed in, the driver, and
 * whether a retry is safe ({@link #retryable()}: true only where nothing ran on the host and the cause may pass).
 * The driver's own exception, when there is one, is the {@link #getCause() cause}. Messages never contain
 * passwords, passphrases or key material.
 */
public abstract sealed class FanoutException extends RuntimeException
        permits PoolExhaustedException, ConnectionRefusedException, HostUnresolvedException,
        ConnectTimeoutException, HandshakeFailedException, HostKeyUnknownException, HostKeyChangedException,
        AuthenticationFailedException, SessionLostException, CommandTimeoutException,
        CommandFailedException, SudoFailedException, TransferFailedException {

    private final String host;
    private final Phase phase;
    private final String driver;
    private final boolean retryable;

    FanoutException(String host, Phase phase, String driver, boolean retryable, String detail, Throwable cause) {
        super(host + ": " + detail + " [" + phase.label() + ", " + driver + "]", cause);
        this.host = Objects.requireNonNull(host, "host");
        this.phase = Objects.requireNonNull(phase, "phase");
        this.driver = Objects.requireNonNull(driver, "driver");
        this.retryable = retryable;
    }

    /** The host label, {@code user@address:port}. */
    public String host() {
        return host;
    }

    /** Where the failure happened. */
    public Phase phase() {
        return phase;
    }

    /** The driver's name, {@code jsch} or {@code mina}. */
    public String driver() {
        return driver;
    }

    /** True when nothing ran on the host and trying again may succeed. */
    public boolean retryable() {
        return retryable;
    }

    /** A short, stable name for this kind of failure, e.g. {@code auth_failed}, used in reports and JSON. */
    public abstract String kind();
}
