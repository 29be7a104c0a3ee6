package dev.fanout.internal.route;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Timeouts;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerifier;
import java.util.function.Function;

/**
 * Every host is reached as itself: its address, port and user, its key checked under its own known_hosts name. The
 * path without an OpenSSH client config: a request costs one lookup of the host's credentials, nothing more.
 *
 * @param credentials the credentials of each host
 * @param hostKeyVerifier the one host-key check
 * @param timeouts the connect and auth limits
 */
public record DirectRoutes(Function<Host, Credentials> credentials, HostKeyVerifier hostKeyVerifier,
        Timeouts timeouts) implements Routes {

    @Override
    public ConnectRequest request(Host host, Cancellation cancellation) {
        return new ConnectRequest(host, credentials.apply(host), hostKeyVerifier, timeouts, cancellation);
    }
}
