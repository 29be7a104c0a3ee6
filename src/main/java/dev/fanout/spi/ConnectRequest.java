package dev.fanout.spi;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Timeouts;
import java.util.Objects;

/**
 * What a driver needs to open one session.
 *
 * <p>{@code host} names the host in every result and error; the driver connects to {@code endpoint} and logs in as
 * its user. They are the same unless an OpenSSH client config maps the host elsewhere ({@code HostName}); the host
 * key is checked under {@code hostKeyName}, as {@code ssh} does: the config's {@code HostKeyAlias}, else the
 * endpoint's known_hosts name.
 *
 * @param host the host as the caller named it: the label of results and errors
 * @param endpoint where to connect (address and port), and as whom
 * @param hostKeyName the name the server's host key is checked and recorded under in known_hosts
 * @param credentials the authentication methods, in order
 * @param hostKeyVerifier decides whether the server's host key is trusted
 * @param timeouts the connect and auth limits
 * @param cancellation fired when the caller gives up; the driver then abandons the connect at once
 */
public record ConnectRequest(Host host, Host endpoint, String hostKeyName, Credentials credentials,
        HostKeyVerifier hostKeyVerifier, Timeouts timeouts, Cancellation cancellation) {

    /** Rejects null components and a blank host key name. */
    public ConnectRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(hostKeyName, "hostKeyName");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeyVerifier, "hostKeyVerifier");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(cancellation, "cancellation");
        if (hostKeyName.isBlank()) {
            throw new IllegalArgumentException("hostKeyName of " + host + " must not be blank");
        }
    }

    /**
     * A request to connect to the host itself, its key checked under its own known_hosts name
     * ({@link Host#knownHostsName()}).
     */
    public ConnectRequest(Host host, Credentials credentials, HostKeyVerifier hostKeyVerifier, Timeouts timeouts,
            Cancellation cancellation) {
        this(host, host, Objects.requireNonNull(host, "host").knownHostsName(), credentials, hostKeyVerifier,
                timeouts, cancellation);
    }

    /** This request with other time limits. */
    public ConnectRequest withTimeouts(Timeouts other) {
        return new ConnectRequest(host, endpoint, hostKeyName, credentials, hostKeyVerifier, other, cancellation);
    }
}
