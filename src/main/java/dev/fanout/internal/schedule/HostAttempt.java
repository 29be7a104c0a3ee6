package dev.fanout.internal.schedule;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.ExecResult;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.HostTimings;
import dev.fanout.RetryPolicy;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.Timeouts;
import dev.fanout.error.CommandFailedException;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.PoolExhaustedException;
import dev.fanout.error.SessionLostException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.internal.Placeholders;
import dev.fanout.internal.events.FlightRecording;
import dev.fanout.internal.events.StepEvent;
import dev.fanout.internal.transfer.TransferContext;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.LiveOutput;
import dev.fanout.spi.SshSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One host's way through a run, shared by the blocking and the asynchronous runner: its time limit (the earlier
 * of the host and run deadlines, which caps every connect and command timeout so the host stops on its own), the
 * steps done, the retries, and the building of its one {@link HostResult}. Used by one thread at a time.
 */
final class HostAttempt {

    /** Thrown when the deadline has passed before something could start. */
    static final class DeadlinePassed extends RuntimeException {
        DeadlinePassed() {
            super(null, null, false, false);
        }
    }

    private final RunState state;
    private final HostContext context;
    private final HostEvents events;
    private final long limitNanos;
    private final List<StepResult> steps = new ArrayList<>();
    private final List<FanoutException> retried = new ArrayList<>();
    private StepResult.Executed firstFailure;
    /** The step announced to the listener and not finished yet, and its JFR event. */
    private Step started;
    private StepEvent stepEvent;
    private ConnectTimings timings;
    private int attempts;
    private boolean staleSessionReplaced;

    HostAttempt(RunState state, HostContext context) {
        this.state = state;
        this.context = context;
        this.events = state.events(context.index());
        long hostLimit = state.options().hostDeadline().map(limit -> context.startNanos() + limit.toNanos())
                .orElse(Long.MAX_VALUE);
        this.limitNanos = Math.min(hostLimit, state.deadlineNanos());
    }

    HostContext context() {
        return context;
    }

    List<Step> taskSteps() {
        return state.task().steps();
    }

    /** Counts a new connection attempt and returns its request, timeouts capped by the time left. */
    ConnectRequest nextConnect() {
        attempts++;
        ConnectRequest request = routeRequest();
        Timeouts base = request.timeouts();
        long left = nanosLeft();
        return request.withTimeouts(new Timeouts(cap(base.connect(), left), cap(base.auth(), left), base.command()));
    }

    /** The host's route (where, as whom, how checked), with the target's own credentials where it has some. */
    private ConnectRequest routeRequest() {
        ConnectRequest request = state.setup().routes().request(context.host(), context.cancellation());
        return context.target().credentials()
                .map(own -> new ConnectRequest(request.host(), request.endpoint(), request.hostKeyName(), own,
                        request.hostKeyVerifier(), request.timeouts(), request.cancellation()))
                .orElse(request);
    }

    /** The target's own credentials, else those of the host's route. */
    private Credentials credentials() {
        return routeRequest().credentials();
    }

    /** The request for a command step: see {@link #execRequest(Step.Exec, Map)}. */
    ExecRequest execRequest(Step.Exec step) {
        return execRequest(step, Map.of());
    }

    /**
     * The request for a command step, its variables (and {@code more}, which take precedence) substituted, its
     * timeout capped by the time left, with the host's login password for sudo when the command uses sudo, its output
     * handed to the listener as it comes if the listener wants it.
     */
    ExecRequest execRequest(Step.Exec step, Map<String, String> more) {
        Command command = step.command();
        Map<String, String> values = new HashMap<>(context.target().vars());
        values.putAll(more);
        Duration timeout = command.timeout().orElse(state.setup().timeouts().command());
        Optional<Secret> sudoPassword = command.sudo().isEmpty() ? Optional.empty()
                : credentials().first(AuthMethod.Password.class).map(AuthMethod.Password::password);
        LiveOutput live =
                state.listener().wantsOutput() ? new StepOutput(events, state.listener(), context.host(), step)
                        : LiveOutput.none();
        return new ExecRequest(command.withText(Placeholders.substitute(command.text(), values)),
                cap(timeout, nanosLeft()), state.setup().outputLimit(), state.outputBudget(), sudoPassword, live);
    }

    /**
     * A step is about to run: the listener hears of it, once, even when the step is tried again on a new session
     * (a pooled one found dead).
     */
    void stepStarted(Step step) {
        if (started == step) {
            return;
        }
        started = step;
        stepEvent = FlightRecording.started()
                ? StepEvent.begin(context.host(), state.setup().driver().name(), step) : null;
        events.post(() -> state.listener().stepStarted(context.host(), step));
    }

    private void stepFinished(StepResult result, boolean timedOut) {
        started = null;
        if (stepEvent != null) {
            stepEvent.end(result, timedOut);
            stepEvent = null;
        }
        steps.add(result);
        events.post(() -> state.listener().stepFinished(context.host(), result));
    }

    private long nanosLeft() {
        if (limitNanos == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        long left = limitNanos - System.nanoTime();
        if (left <= 0) {
            throw new DeadlinePassed();
        }
        return left;
    }

    private static Duration cap(Duration value, long nanosLeft) {
        return nanosLeft == Long.MAX_VALUE || value.toNanos() <= nanosLeft ? value : Duration.ofNanos(nanosLeft);
    }

    void connected(ConnectTimings connectTimings) {
        this.timings = connectTimings;
    }

    /**
     * Records a command's result. Returns whether the host goes on to its next step; a checked command that failed
     * throws {@link CommandFailedException}.
     */
    boolean stepDone(Step.Exec step, ExecResult result) {
        StepResult.Executed done = new StepResult.Executed(step, result);
        stepFinished(done, false);
        if (result.isSuccess()) {
            return true;
        }
        if (firstFailure == null) {
            firstFailure = done;
        }
        if (step.command().check()) {
            throw new CommandFailedException(context.host().toString(), state.setup().driver().name(), result);
        }
        return state.task().keepGoing();
    }

    /** Keeps what a timed-out command printed. */
    void stepTimedOut(Step.Exec step, CommandTimeoutException timeout) {
        stepFinished(new StepResult.Executed(step, timeout.partialResult()), true);
    }

    /** Records a transfer's result (or what a tree did before it stopped). */
    void transferDone(StepResult result) {
        stepFinished(result, false);
    }

    /**
     * What a transfer step needs: its time limit (its own, else the command timeout, capped by the time left) and
     * progress reported to the run's listener.
     */
    TransferContext transferContext(Step step, Optional<Duration> ownTimeout, long totalBytes, SshSession session) {
        Duration timeout = cap(ownTimeout.orElse(state.setup().timeouts().command()), nanosLeft());
        return new TransferContext(session, state.setup().driver().name(), timeout,
                bytes -> events.postProgress(step,
                        () -> state.listener().transferProgress(context.host(), step, bytes, totalBytes)));
    }

    /**
     * Whether and when to connect again after {@code failure}: -1 for never, else the wait in nanoseconds. A pooled
     * session found dead before any step ran is replaced at once (once, whatever the retry policy); otherwise only a
     * retryable failure before any step is retried, within the policy's attempts and the time left, after an
     * exponential backoff with jitter. A retry is recorded in the host's result.
     */
    long retryDelayNanos(FanoutException failure, boolean reusedSession) {
        if (!steps.isEmpty()) {
            return -1;
        }
        if (reusedSession && !staleSessionReplaced && failure instanceof SessionLostException
                && failure.phase() == Phase.CHANNEL) {
            staleSessionReplaced = true;
            attempts--;
            return 0;
        }
        RetryPolicy policy = state.options().retry();
        boolean transientFailure = failure.retryable() && failure.phase() != Phase.EXEC
                && (!isTimeout(failure) || policy.retryConnectTimeouts());
        if (!transientFailure || attempts >= policy.maxAttempts()) {
            return -1;
        }
        long wait = policy.backoff(retried.size() + 1).toNanos();
        wait -= (long) (wait * policy.jitter() * ThreadLocalRandom.current().nextDouble());
        if (limitNanos != Long.MAX_VALUE && System.nanoTime() + wait >= limitNanos) {
            return -1;
        }
        retried.add(failure);
        return wait;
    }

    /** The result once every step ran (or the host stopped at a failing exit). */
    HostResult completed() {
        if (firstFailure == null) {
            return result(HostStatus.OK, Optional.empty(), "");
        }
        ExecResult failed = firstFailure.exec();
        return result(HostStatus.FAILED, Optional.empty(), failed.exitStatus() + ": " + failed.command());
    }

    /** Whether waiting for the host ran out of time before anything was sent: retried only when asked. */
    private static boolean isTimeout(FanoutException failure) {
        return failure instanceof ConnectTimeoutException || failure instanceof PoolExhaustedException;
    }

    /** The result of a failure. */
    HostResult failed(FanoutException failure) {
        boolean timeout = failure instanceof CommandTimeoutException || isTimeout(failure)
                || (failure instanceof TransferFailedException transfer && transfer.reason() == Reason.TIMED_OUT);
        String detail = failure.getMessage() + deadlineNote();
        return result(timeout ? HostStatus.TIMED_OUT : HostStatus.FAILED, Optional.of(failure), detail);
    }

    /** The result when the deadline passed before the host could go on. */
    HostResult deadlinePassed() {
        return result(HostStatus.TIMED_OUT, Optional.empty(), "deadline passed" + deadlineNote());
    }

    /**
     * The result of a cancelled host: timed out if the run's deadline passed, else cancelled, for the reason it was
     * given (the run's, or its own).
     */
    HostResult cancelled() {
        if (state.deadlinePassed()) {
            return result(HostStatus.TIMED_OUT, Optional.empty(), "run deadline passed");
        }
        String reason = context.cancelReason() != null ? context.cancelReason() : state.stopReason();
        return result(HostStatus.CANCELLED, Optional.empty(), reason != null ? reason : "interrupted");
    }

    /**
     * The result of anything other than a fanout failure (a bug, an {@link Error} such as a missing class or an
     * exhausted heap): never lost, always explained by the throwable's type and message.
     */
    HostResult internalError(Throwable error) {
        return result(HostStatus.FAILED, Optional.empty(), InternalErrors.detail(error));
    }

    private String deadlineNote() {
        if (limitNanos == Long.MAX_VALUE || System.nanoTime() < limitNanos) {
            return "";
        }
        return limitNanos == state.deadlineNanos() ? " (run deadline passed)" : " (host deadline passed)";
    }

    private HostResult result(HostStatus status, Optional<FanoutException> error, String detail) {
        if (stepEvent != null) {
            // The step in progress ended with its host, by the host's failure, or stopped (cancelled, deadline).
            if (error.isPresent()) {
                stepEvent.failed(error.get());
            } else {
                stepEvent.stopped(status.label());
            }
            stepEvent = null;
        }
        HostTimings hostTimings = new HostTimings(timings == null ? Duration.ZERO : timings.handshake(),
                timings == null ? Duration.ZERO : timings.auth(),
                Duration.ofNanos(System.nanoTime() - context.startNanos()));
        return new HostResult(context.host(), status, error, detail, steps, hostTimings, attempts, retried);
    }
}
