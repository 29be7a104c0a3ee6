package dev.fanout.internal.schedule;

import dev.fanout.HostResult;
import dev.fanout.Step;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.FanoutException;
import dev.fanout.internal.pool.Lease;
import dev.fanout.spi.SshSession;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one host's task on the calling thread (SERIAL, PLATFORM and VIRTUAL modes): get a session, run the steps,
 * give the session back, retry transient connect failures. Never throws, whatever is thrown in it (an
 * {@link Error} from a driver or the listener included): every outcome is a {@link HostResult}.
 */
final class HostRunner {

    private static final Logger LOG = LoggerFactory.getLogger(HostRunner.class);

    private final RunState state;

    HostRunner(RunState state) {
        this.state = state;
    }

    /** Runs host {@code index} when its turn comes on this thread (skipped if the run stopped), then {@code done}. */
    void runTurn(int index, Runnable done) {
        try {
            HostContext context = state.begin(index);
            if (context != null) {
                context.runsOn(Thread.currentThread());
                HostResult result;
                try {
                    result = run(context);
                } finally {
                    context.leaveThread();
                }
                state.finish(context, result);
            }
        } catch (Throwable unexpected) {
            LOG.error("{}: internal error: {}", state.hosts().get(index), unexpected.toString());
            LOG.debug("{}: internal error", state.hosts().get(index), unexpected);
            state.ensureResult(index, unexpected);
        } finally {
            done.run();
        }
    }

    private HostResult run(HostContext context) {
        HostAttempt attempt = new HostAttempt(state, context);
        try {
            while (true) {
                Lease lease = null;
                AtomicBoolean holding = new AtomicBoolean(true);
                boolean reusable = false;
                long retryDelay;
                try {
                    lease = state.setup().sessions().acquire(attempt.nextConnect(), state.handshakes());
                    closeOnCancel(context, lease, holding);
                    if (!lease.reused()) {
                        attempt.connected(lease.session().timings());
                    }
                    runSteps(attempt, lease.session());
                    reusable = lease.session().isOpen();
                    return attempt.completed();
                } catch (FanoutException failure) {
                    if (context.cancellation().isCancelled()) {
                        // Cancelling closes the host's session: what fails next is the cancellation, not the host.
                        return attempt.cancelled();
                    }
                    retryDelay = attempt.retryDelayNanos(failure, lease != null && lease.reused());
                    if (retryDelay < 0) {
                        return attempt.failed(failure);
                    }
                    LOG.debug("{}: connecting again after {}", context.host(), failure.getMessage());
                } finally {
                    holding.set(false);
                    if (lease != null) {
                        state.setup().sessions().release(lease, reusable);
                    }
                }
                sleep(retryDelay);
            }
        } catch (HostAttempt.DeadlinePassed e) {
            return attempt.deadlinePassed();
        } catch (CancellationException e) {
            return attempt.cancelled();
        } catch (Throwable e) {
            LOG.error("{}: internal error: {}", context.host(), e.toString());
            LOG.debug("{}: internal error", context.host(), e);
            return attempt.internalError(e);
        }
    }

    /**
     * Cancelling the host closes the session it holds. An interrupt alone may not stop it: JSch swallows one that
     * comes while it waits for a channel to open, and a reused pooled session has none of the connect's own
     * cancellation hooks. Once the session is given back ({@code holding} false), a late cancel leaves it alone.
     */
    private static void closeOnCancel(HostContext context, Lease lease, AtomicBoolean holding) {
        SshSession session = lease.session();
        context.cancellation().onCancel(() -> {
            if (holding.get()) {
                session.close();
            }
        });
    }

    private static void runSteps(HostAttempt attempt, SshSession session) {
        for (Step step : attempt.taskSteps()) {
            attempt.stepStarted(step);
            if (step instanceof Step.Script script) {
                if (!ScriptSteps.run(script, attempt, session)) {
                    return;
                }
                continue;
            }
            if (!(step instanceof Step.Exec exec)) {
                attempt.transferDone(TransferSteps.run(step, attempt, session));
                continue;
            }
            try {
                if (!attempt.stepDone(exec, session.exec(attempt.execRequest(exec)))) {
                    return;
                }
            } catch (CommandTimeoutException timeout) {
                attempt.stepTimedOut(exec, timeout);
                throw timeout;
            }
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }
}
