package dev.fanout.spi;

import dev.fanout.Host;
import java.util.List;

/**
 * Decides whether a server's host key is trusted. Drivers call it once per connection, during the handshake,
 * from whatever thread their library uses; implementations are thread-safe.
 */
@FunctionalInterface
public interface HostKeyVerifier {

    /**
     * Checks the host key a server presented.
     *
     * @param host the host being connected to
     * @param keyBlob the server's public key in SSH wire format ({@code string type, ...})
     * @return the verdict; drivers refuse the connection unless {@link HostKeyVerdict#trusted()}
     */
    HostKeyVerdict verify(Host host, byte[] keyBlob);

    /**
     * The key types already trusted for this host ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, ...), in the
     * order recorded. Drivers ask the server for these first, as OpenSSH does, so that a host known by one of its
     * keys is checked against that key rather than found unknown by another.
     *
     * @param host the host being connected to
     * @return the known key types, empty when none (the default)
     */
    default List<String> knownKeyTypes(Host host) {
        return List.of();
    }
}
