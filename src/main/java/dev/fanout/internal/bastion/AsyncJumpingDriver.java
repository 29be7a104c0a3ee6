package dev.fanout.internal.bastion;

import dev.fanout.error.SessionLostException;
import dev.fanout.spi.AsyncSshDriver;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshSession;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@link JumpingDriver} of an asynchronous driver: in ASYNC mode a host waits for its place on a bastion session
 * with no thread, then connects through it without blocking.
 */
final class AsyncJumpingDriver extends JumpingDriver implements AsyncSshDriver {

    private final AsyncSshDriver driver;

    AsyncJumpingDriver(AsyncSshDriver driver, Bastions bastions) {
        super(driver, bastions);
        this.driver = driver;
    }

    @Override
    public CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request) {
        Optional<Bastion> bastion = bastions().forHost(request.host());
        if (bastion.isEmpty()) {
            return driver.connectAsync(request);
        }
        CompletableFuture<AsyncSshSession> result = new CompletableFuture<>();
        connectThrough(bastion.get(), request, true, result);
        return result;
    }

    @Override
    public CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request, SshSession through) {
        return driver.connectAsync(request, through);
    }

    /**
     * Waits for a place, then connects through it; once more on another session if the bastion dropped it. Whatever
     * a step throws (an Error included) fails the result: nothing else would ever complete it.
     */
    private void connectThrough(Bastion bastion, ConnectRequest request, boolean retry,
            CompletableFuture<AsyncSshSession> result) {
        CompletableFuture<Bastion.Place> reserved = bastion.reserve();
        request.cancellation().onCancel(() -> reserved.cancel(false));
        // The caller sees the result itself; these stages only feed it.
        var unused = reserved.whenComplete((place, failure) -> {
            if (failure != null) {
                result.completeExceptionally(bastionFailure(request, failure));
                return;
            }
            try {
                var unusedConnect = driver.connectAsync(request, place.session())
                        .whenComplete((session, error) -> connected(bastion, request, retry, place, session, error,
                                result));
            } catch (Throwable error) {
                place.release();
                result.completeExceptionally(error);
            }
        });
    }

    private void connected(Bastion bastion, ConnectRequest request, boolean retry, Bastion.Place place,
            AsyncSshSession session, Throwable error, CompletableFuture<AsyncSshSession> result) {
        Throwable cause = error instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : error;
        try {
            if (cause == null) {
                place.handshakeDone();
                if (!result.complete(new AsyncTunneledSession(session, place))) {
                    session.close();
                    place.release();
                }
            } else if (retry && cause instanceof SessionLostException lost && bastionGone(lost, place)) {
                place.discard();
                connectThrough(bastion, request, false, result);
            } else {
                place.release();
                result.completeExceptionally(cause);
            }
        } catch (Throwable failure) {
            place.release();
            result.completeExceptionally(failure);
        }
    }
}
