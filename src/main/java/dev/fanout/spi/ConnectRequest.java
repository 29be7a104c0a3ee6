package dev.fanout.spi;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Timeouts;
import java.util.Objects;

/**
 * What a driver needs to open one session.
 *
 * @param host where to connect, and as whom
 * @param credentials the authentication methods, in order
 * @param hostKeyVerifier decides whether the server's host key is trusted
 * @param timeouts the connect and auth limits
 * @param cancellation fired when the caller gives up; the driver then abandons the connect at once
 */
public record ConnectRequest(Host host, Credentials credentials, HostKeyVerifier hostKeyVerifier,
        Timeouts timeouts, Cancellation cancellation) {

    /** Rejects null components. */
    public ConnectRequest {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(hostKeyVerifier, "hostKeyVerifier");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(cancellation, "cancellation");
    }
}
