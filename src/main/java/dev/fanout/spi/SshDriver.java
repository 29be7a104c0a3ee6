package dev.fanout.spi;

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
     * Connects, verifies the host key and authenticates, within the request's connect and auth timeouts.
     *
     * @return an open session, owned by the caller, who must close it
     * @throws dev.fanout.error.FanoutException for any failure, with the phase it happened in
     * @throws java.util.concurrent.CancellationException when the request's cancellation fired, or the calling
     *     thread was interrupted (its interrupt flag is then set again)
     */
    SshSession connect(ConnectRequest request);

    /** Releases shared resources. Sessions still open are closed. Idempotent. */
    @Override
    void close();
}
