package dev.fanout.spi;

import dev.fanout.Credentials;

/**
 * The contract a driver (an SSH library) fulfils for fanout: open authenticated sessions.
 *
 * <p>One driver instance serves one {@code Fanout} and every host it talks to; it is thread-safe and its methods
 * block the calling thread (a virtual thread, usually) until done. Every failure is thrown as a
 * {@link dev.fanout.error.FanoutException} subtype; the driver translates its library's exceptions in one place.
 * Closing the driver releases what it shares between sessions (thread pools, the library's client).
 */
public interface SshDriver extends AutoCloseable {

    /** The driver's name, as users pick it: {@code jsch} or {@code mina}. */
    String name();

    /**
     * Decodes the private keys of these credentials now and keeps them for every later connect with equal
     * credentials, so each key is decoded (and its passphrase checked) once, not once per host. {@code Fanout}
     * calls it for each of its sets of credentials before any host is contacted.
     *
     * <p>The default does nothing, for a driver that has no keys to decode ahead of its connects.
     *
     * @throws IllegalArgumentException if a key cannot be decoded: the message
     *     names the key and the cause, never the passphrase
     */
    default void prepare(Credentials credentials) {
    }

    /**
     * Connects, verifies the host key and authenticates, within the request's connect and auth timeouts. Keys of
     * credentials not {@linkplain #prepare prepared} are decoded first.
     *
     * @return an open session, owned by the caller, who must close it
     * @throws dev.fanout.error.FanoutException for any failure, with the phase it happened in
     * @throws IllegalArgumentException if the credentials were not prepared and hold a key that cannot be decoded
     * @throws java.util.concurrent.CancellationException when the request's cancellation fired, or the calling
     *     thread was interrupted (its interrupt flag is then set again)
     */
    SshSession connect(ConnectRequest request);

    /**
     * Connects as {@link #connect(ConnectRequest)} does, but through a bastion (jump host): the connection is a
     * {@code direct-tcpip} channel of {@code through}, which asks the bastion to connect to the request's endpoint
     * (the bastion resolves its name). Key exchange, the host-key check and the login are end to end with the
     * endpoint, as for a direct connect; the connect limit covers opening the channel and the handshake. The
     * returned session closes its channel when closed; {@code through} stays open, carrying other channels.
     *
     * <p>The default refuses, for a driver that cannot tunnel.
     *
     * @param through an open session this driver returned, to the bastion
     * @throws dev.fanout.error.FanoutException as {@link #connect(ConnectRequest)}; when the bastion cannot connect to
     *     the endpoint, {@link dev.fanout.error.ConnectionRefusedException} with what the bastion said; when it
     *     refuses the channel itself, {@link dev.fanout.error.BastionFailedException}; when {@code through} is gone,
     *     {@link dev.fanout.error.SessionLostException} in phase {@code BASTION}
     * @throws UnsupportedOperationException if this driver cannot connect through a bastion
     */
    default SshSession connect(ConnectRequest request, SshSession through) {
        throw new UnsupportedOperationException("the " + name() + " driver cannot connect through a bastion");
    }

    /** Releases shared resources. Sessions still open are closed. Idempotent. */
    @Override
    void close();
}
