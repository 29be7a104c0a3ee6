package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.RunListener;
import dev.fanout.RunReport;
import dev.fanout.StdStream;
import dev.fanout.Step;
import dev.fanout.StepResult;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the user's listeners in turn (the client's, then the run's), logging and swallowing whatever each throws,
 * errors included: a listener that runs out of memory or stack must not cost a host its result nor hang the run (the
 * host is recorded before its listener call, and counted done whatever the call throws), nor keep the next listener
 * from its call.
 */
final class SafeListener implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    /** Set on a thread while it runs the user's listener. */
    private static final ThreadLocal<Boolean> CALLING = new ThreadLocal<>();

    private final List<RunListener> delegates;
    private final boolean wantsOutput;

    SafeListener(RunListener delegate) {
        this(List.of(delegate));
    }

    SafeListener(List<RunListener> delegates) {
        this.delegates = List.copyOf(delegates);
        this.wantsOutput = this.delegates.stream().anyMatch(SafeListener::overridesOutput);
    }

    /** Whether a listener hears output ({@link RunListener#outputReceived} overridden): only then is it streamed. */
    boolean wantsOutput() {
        return wantsOutput;
    }

    private static boolean overridesOutput(RunListener listener) {
        try {
            return listener.getClass()
                    .getMethod("outputReceived", Host.class, Step.class, StdStream.class, byte[].class)
                    .getDeclaringClass() != RunListener.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("RunListener.outputReceived is missing", e);
        }
    }

    @Override
    public void runStarted(int hosts) {
        guard("runStarted", null, listener -> listener.runStarted(hosts));
    }

    @Override
    public void hostStarted(Host host) {
        guard("hostStarted", host, listener -> listener.hostStarted(host));
    }

    @Override
    public void stepStarted(Host host, Step step) {
        guard("stepStarted", host, listener -> listener.stepStarted(host, step));
    }

    @Override
    public void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
        guard("outputReceived", host, listener -> listener.outputReceived(host, step, stream, bytes));
    }

    @Override
    public void transferProgress(Host host, Step step, long bytesDone, long bytesTotal) {
        guard("transferProgress", host, listener -> listener.transferProgress(host, step, bytesDone, bytesTotal));
    }

    @Override
    public void stepFinished(Host host, StepResult result) {
        guard("stepFinished", host, listener -> listener.stepFinished(host, result));
    }

    @Override
    public void hostFinished(HostResult result) {
        guard("hostFinished", result.host(), listener -> listener.hostFinished(result));
    }

    @Override
    public void runFinished(RunReport report) {
        guard("runFinished", null, listener -> listener.runFinished(report));
    }

    private static String about(Host host) {
        return host == null ? "" : "(" + host + ")";
    }

    /** Whether the current thread is inside a listener call (which a run waits for: it must not wait for the run). */
    static boolean isCalling() {
        return CALLING.get() != null;
    }

    /** Makes {@code call} (about {@code host}, or null) on every listener, whatever each throws. */
    private void guard(String call, Host host, Consumer<RunListener> action) {
        boolean outermost = CALLING.get() == null;
        CALLING.set(Boolean.TRUE);
        try {
            for (RunListener listener : delegates) {
                try {
                    action.accept(listener);
                } catch (RuntimeException e) {
                    LOG.warn("run listener failed in {}{}; the run goes on", call, about(host), e);
                } catch (Throwable e) {
                    LOG.error("run listener failed in {}{} with {}; the run goes on", call, about(host), e.toString(),
                            e);
                }
            }
        } finally {
            if (outermost) {
                CALLING.remove();
            }
        }
    }
}
