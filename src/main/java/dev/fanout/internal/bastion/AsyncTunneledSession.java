package dev.fanout.internal.bastion;

import dev.fanout.ExecResult;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ExecRequest;
import java.util.concurrent.CompletableFuture;

/** {@link TunneledSession} of an asynchronous driver. */
final class AsyncTunneledSession extends TunneledSession implements AsyncSshSession {

    private final AsyncSshSession session;

    AsyncTunneledSession(AsyncSshSession session, Bastion.Place place) {
        super(session, place);
        this.session = session;
    }

    @Override
    public CompletableFuture<ExecResult> execAsync(ExecRequest request) {
        return session.execAsync(request);
    }
}
