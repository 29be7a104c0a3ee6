package dev.fanout.spi;

import java.util.List;

/**
 * Decides whether a server's host key is trusted. Drivers call it once per connection, during the handshake,
 * from whatever thread their library uses; implementations are thread-safe.
 *
 * <p>Hosts are named as in known_hosts ({@link ConnectRequest#hostKeyName()}): {@code address} on port 22,
 * {@code [address]:port} elsewhere, or the {@code HostKeyAlias} an OpenSSH client config gives.
 */
@FunctionalInterface
public interface HostKeyVerifier {

    /**
     * Checks the host key a server presented.
     *
     * @param hostKeyName the name the host's key is recorded under
     * @param keyBlob the server's public key in SSH wire format ({@code string type, ...})
     * @return the verdict; drivers refuse the connection unless {@link HostKeyVerdict#trusted()}
     */
    HostKeyVerdict verify(String hostKeyName, byte[] keyBlob);

    /**
     * The key types already trusted for this host ({@code ssh-ed25519}, {@code ecdsa-sha2-nistp256}, ...), in the
     * order recorded. Drivers ask the server for these first, as OpenSSH does, so that a host known by one of its
     * keys is checked against that key rather than found unknown by another.
     *
     * @param hostKeyName the name the host's key is recorded under
     * @return the known key types, empty when none (the default)
     */
    default List<String> knownKeyTypes(String hostKeyName) {
        return List.of();
    }
}
