package dev.fanout.spi;

import java.util.concurrent.CompletableFuture;

/**
 * The asynchronous extension of the driver contract, for libraries built on non-blocking I/O (MINA): the ASYNC
 * run mode chains connect, authentication, commands and close on these futures with no thread per host.
 *
 * <p>Futures complete exceptionally with a {@link dev.fanout.error.FanoutException} subtype (possibly wrapped in a
 * {@link java.util.concurrent.CompletionException}), or a {@link java.util.concurrent.CancellationException} when
 * the request's {@link Cancellation} fired. Callbacks run on the library's I/O threads and must not block.
 */
public interface AsyncSshDriver extends SshDriver {

    /** Connects, verifies the host key and authenticates without blocking the caller. */
    CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request);

    /**
     * Connects through a bastion as {@link #connect(ConnectRequest, SshSession)} does, without blocking the caller.
     * The default fails with {@link UnsupportedOperationException}, for a driver that cannot tunnel.
     *
     * @param through an open session this driver returned, to the bastion
     */
    default CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request, SshSession through) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("the " + name()
                + " driver cannot connect through a bastion"));
    }
}
