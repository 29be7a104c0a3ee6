package dev.fanout.spi;

import dev.fanout.Host;

/**
 * Decides whether a server's host key is trusted. Drivers call it once per connection, during the handshake,
 * from whatever thread their library uses; implementations are thread-safe.
 */
@FunctionalInterface
public interface HostKeyVerifier {

    /**
     * @param host the host being connected to
     * @param keyBlob the server's public key in SSH wire format ({@code string type, ...})
     * @return the verdict; drivers refuse the connection unless {@link HostKeyVerdict#trusted()}
     */
    HostKeyVerdict verify(Host host, byte[] keyBlob);
}
