package dev.fanout.internal.bastion;

import dev.fanout.Credentials;
import dev.fanout.error.BastionFailedException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.spi.AsyncSshDriver;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshSession;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A client's driver as its runs see it when bastions are in play: a host reached directly is the driver's plain
 * connect; a host behind a bastion waits for a place on one of the bastion's sessions, then connects through it
 * ({@link SshDriver#connect(ConnectRequest, SshSession)}), and gives the place back when its session closes. A
 * bastion that cannot be reached fails the host with {@link BastionFailedException}, naming the bastion and its own
 * failure. Waiting for a place does not run the host's connect time-out; its cancellation ends the wait.
 */
public class JumpingDriver implements SshDriver {

    private final SshDriver driver;
    private final Bastions bastions;

    JumpingDriver(SshDriver driver, Bastions bastions) {
        this.driver = driver;
        this.bastions = bastions;
    }

    /** The driver with bastions: asynchronous if the driver is. */
    public static SshDriver wrap(SshDriver driver, Bastions bastions) {
        return driver instanceof AsyncSshDriver async ? new AsyncJumpingDriver(async, bastions)
                : new JumpingDriver(driver, bastions);
    }

    Bastions bastions() {
        return bastions;
    }

    @Override
    public String name() {
        return driver.name();
    }

    @Override
    public void prepare(Credentials credentials) {
        driver.prepare(credentials);
    }

    @Override
    public SshSession connect(ConnectRequest request) {
        Optional<Bastion> bastion = bastions.forHost(request.host());
        if (bastion.isEmpty()) {
            return driver.connect(request);
        }
        for (boolean retry = true;; retry = false) {
            Bastion.Place place = await(bastion.get().reserve(), request);
            try {
                SshSession session = driver.connect(request, place.session());
                place.handshakeDone();
                return new TunneledSession(session, place);
            } catch (SessionLostException e) {
                if (!retry || !bastionGone(e, place)) {
                    place.release();
                    throw e;
                }
                place.discard(); // the bastion dropped that session: once more on another
            } catch (RuntimeException | Error e) {
                place.release();
                throw e;
            }
        }
    }

    @Override
    public SshSession connect(ConnectRequest request, SshSession through) {
        return driver.connect(request, through);
    }

    /** Whether a connect failed because the bastion session it went through is gone. */
    static boolean bastionGone(FanoutException failure, Bastion.Place place) {
        return failure.phase() == Phase.BASTION && !place.session().isOpen();
    }

    private Bastion.Place await(CompletableFuture<Bastion.Place> place, ConnectRequest request) {
        Cancellation cancellation = request.cancellation();
        cancellation.onCancel(() -> place.cancel(false));
        try {
            return place.get();
        } catch (InterruptedException e) {
            place.cancel(false);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for a bastion");
        } catch (ExecutionException e) {
            throw bastionFailure(request, e.getCause());
        }
    }

    /**
     * What a host gets when its bastion failed: the bastion's own failure, named as the bastion's, for a
     * {@code FanoutException}; anything else as it is.
     */
    RuntimeException bastionFailure(ConnectRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException wrapped && wrapped.getCause() != null
                ? wrapped.getCause() : failure;
        if (cause instanceof FanoutException bastionFailure) {
            return new BastionFailedException(request.host().toString(), name(), bastionFailure);
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    /** Closes the bastions' sessions, then the driver. */
    @Override
    public void close() {
        try {
            bastions.close();
        } finally {
            driver.close();
        }
    }
}
