package dev.fanout.internal.schedule;

import dev.fanout.HostResult;
import dev.fanout.Step;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.FanoutException;
import dev.fanout.spi.AsyncSshDriver;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ConnectRequest;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ASYNC mode: each host is a chain of the driver's futures (connect, authenticate, each command, close), with no
 * thread of its own. Handshakes in flight are bounded by the run's lane of its client's {@link FairPermits}, waited
 * for as futures; retries wait on a delayed executor.
 * The driver's I/O threads only carry a host from one command to the next; fanout's own work (starting a connect,
 * which decodes keys and looks up the name, recording the result, which calls the listener, retrying) runs on
 * {@link AsyncWorkers}, and upload and download steps, which block, on a virtual thread each.
 */
final class AsyncStarter implements HostStarter {

    private static final Logger LOG = LoggerFactory.getLogger(AsyncStarter.class);

    /** Transfers block on SFTP streams, so each runs on a virtual thread of its own, not on an I/O thread. */
    private static final Executor TRANSFER_THREADS = task -> Thread.ofVirtual().name("fanout-transfer").start(task);

    private final RunState state;
    private final AsyncSshDriver driver;
    private final FairPermits.Lane handshakes;
    private final AsyncWorkers workers = new AsyncWorkers();
    /** Hosts started and not yet done, plus one for the dispatcher until {@link #close()}. */
    private final AtomicInteger running = new AtomicInteger(1);
    private final CompletableFuture<Void> allDone = new CompletableFuture<>();

    AsyncStarter(RunState state, AsyncSshDriver driver) {
        this.state = state;
        this.driver = driver;
        this.handshakes = state.handshakes();
    }

    @Override
    public void start(int index, Runnable done) {
        HostContext context = state.begin(index);
        if (context == null) {
            done.run();
            return;
        }
        running.incrementAndGet();
        HostAttempt attempt = new HostAttempt(state, context);
        CompletableFuture<HostResult> outcome;
        try {
            outcome = attemptHost(attempt);
        } catch (Throwable failure) {
            outcome = CompletableFuture.failedFuture(failure);
        }
        outcome.whenCompleteAsync((result, failure) -> {
            try {
                state.finish(context, result != null ? result : attempt.internalError(failure));
            } catch (Throwable unexpected) {
                LOG.error("{}: internal error: {}", context.host(), unexpected.toString());
                state.ensureResult(index, unexpected);
            } finally {
                done.run();
                hostDone();
            }
        }, workers).exceptionally(unexpected -> {
            LOG.error("{}: internal error after its result: {}", context.host(), unexpected.toString());
            return null;
        });
    }

    private CompletableFuture<HostResult> attemptHost(HostAttempt attempt) {
        HostContext context = attempt.context();
        CompletableFuture<AsyncSshSession> session;
        try {
            var request = attempt.nextConnect();
            // Cancelling the host while it waits fails the permit's future, and the permit goes to the next waiter.
            CompletableFuture<Void> permit = context.awaiting(handshakes.acquireAsync());
            session = permit.thenComposeAsync(granted -> connect(context, request), workers);
        } catch (HostAttempt.DeadlinePassed e) {
            return CompletableFuture.completedFuture(attempt.deadlinePassed());
        }
        return session.thenCompose(open -> {
            attempt.connected(open.timings());
            return runSteps(attempt, open, 0).whenComplete((ignored, failure) -> open.close());
        }).thenApply(ignored -> attempt.completed())
                .exceptionallyCompose(failure -> outcome(attempt, unwrap(failure)));
    }

    /**
     * Connects while holding a handshake permit, given back however the connect ends (even by a throw). Cancelling
     * the host fails the future it waits on at once; a session that opens after that is closed.
     */
    private CompletableFuture<AsyncSshSession> connect(HostContext context, ConnectRequest request) {
        CompletableFuture<AsyncSshSession> awaited = context.awaiting(new CompletableFuture<>());
        if (awaited.isDone()) {
            handshakes.release();
            return awaited;
        }
        CompletableFuture<AsyncSshSession> connecting;
        try {
            connecting = driver.connectAsync(request);
        } catch (Throwable failure) {
            handshakes.release();
            return CompletableFuture.failedFuture(failure);
        }
        return connecting.<Void>handle((open, failure) -> {
            handshakes.release();
            if (failure != null) {
                awaited.completeExceptionally(failure);
            } else if (!awaited.complete(open)) {
                open.close();
            }
            return null;
        }).thenCompose(ignored -> awaited);
    }

    private CompletableFuture<HostResult> outcome(HostAttempt attempt, Throwable failure) {
        if (failure instanceof HostAttempt.DeadlinePassed) {
            return CompletableFuture.completedFuture(attempt.deadlinePassed());
        }
        boolean cancelled = attempt.context().cancellation().isCancelled();
        if (failure instanceof CancellationException || (failure instanceof FanoutException && cancelled)) {
            // Cancelling closes the host's session: what fails next is the cancellation, not the host.
            return CompletableFuture.completedFuture(attempt.cancelled());
        }
        if (failure instanceof FanoutException fanout) {
            long delay = attempt.retryDelayNanos(fanout, false);
            if (delay < 0) {
                return CompletableFuture.completedFuture(attempt.failed(fanout));
            }
            Executor later = CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS, workers);
            return CompletableFuture.completedFuture(attempt).thenComposeAsync(this::attemptHost, later);
        }
        LOG.error("{}: internal error: {}", attempt.context().host(), failure.toString());
        LOG.debug("{}: internal error", attempt.context().host(), failure);
        return CompletableFuture.completedFuture(attempt.internalError(failure));
    }

    private CompletableFuture<Void> runSteps(HostAttempt attempt, AsyncSshSession session, int index) {
        if (index == attempt.taskSteps().size()) {
            return CompletableFuture.completedFuture(null);
        }
        Step step = attempt.taskSteps().get(index);
        attempt.stepStarted(step);
        if (step instanceof Step.Script script) {
            return attempt.context().awaiting(CompletableFuture.supplyAsync(
                    () -> ScriptSteps.run(script, attempt, session), TRANSFER_THREADS))
                    .thenCompose(goOn -> goOn ? runSteps(attempt, session, index + 1)
                            : CompletableFuture.completedFuture(null));
        }
        if (!(step instanceof Step.Exec exec)) {
            return attempt.context().awaiting(CompletableFuture.supplyAsync(
                    () -> TransferSteps.run(step, attempt, session), TRANSFER_THREADS))
                    .thenCompose(result -> {
                        attempt.transferDone(result);
                        return runSteps(attempt, session, index + 1);
                    });
        }
        return attempt.context().awaiting(session.execAsync(attempt.execRequest(exec)))
                .handle((result, failure) -> {
                    if (failure != null) {
                        Throwable cause = unwrap(failure);
                        if (cause instanceof CommandTimeoutException timeout) {
                            attempt.stepTimedOut(exec, timeout);
                        }
                        throw new CompletionException(cause);
                    }
                    return attempt.stepDone(exec, result);
                })
                .thenCompose(goOn -> goOn ? runSteps(attempt, session, index + 1)
                        : CompletableFuture.completedFuture(null));
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private void hostDone() {
        if (running.decrementAndGet() == 0) {
            allDone.complete(null);
        }
    }

    /** Waits until every started host has its result, then until the run's own threads have ended. */
    @Override
    public void close() {
        hostDone();
        allDone.join();
        workers.close();
    }
}
