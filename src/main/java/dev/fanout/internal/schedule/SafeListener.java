package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.RunListener;
import dev.fanout.RunReport;
import dev.fanout.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the user's listener, logging and swallowing whatever it throws, errors included: a listener that runs out
 * of memory or stack must not cost a host its result nor hang the run (the host is recorded before its listener
 * call, and counted done whatever the call throws).
 */
final class SafeListener implements RunListener {

    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    /** Set on a thread while it runs the user's listener. */
    private static final ThreadLocal<Boolean> CALLING = new ThreadLocal<>();

    private final RunListener delegate;

    SafeListener(RunListener delegate) {
        this.delegate = delegate;
    }

    @Override
    public void runStarted(int hosts) {
        guard("runStarted", () -> delegate.runStarted(hosts));
    }

    @Override
    public void hostFinished(HostResult result) {
        guard("hostFinished(" + result.host() + ")", () -> delegate.hostFinished(result));
    }

    @Override
    public void transferProgress(Host host, Step step, long bytesDone, long bytesTotal) {
        guard("transferProgress(" + host + ")", () -> delegate.transferProgress(host, step, bytesDone, bytesTotal));
    }

    @Override
    public void runFinished(RunReport report) {
        guard("runFinished", () -> delegate.runFinished(report));
    }

    /** Whether the current thread is inside a listener call (which a run waits for: it must not wait for the run). */
    static boolean isCalling() {
        return CALLING.get() != null;
    }

    private static void guard(String call, Runnable action) {
        boolean outermost = CALLING.get() == null;
        CALLING.set(Boolean.TRUE);
        try {
            action.run();
        } catch (RuntimeException e) {
            LOG.warn("run listener failed in {}; the run goes on", call, e);
        } catch (Throwable e) {
            LOG.error("run listener failed in {} with {}; the run goes on", call, e.toString(), e);
        } finally {
            if (outermost) {
                CALLING.remove();
            }
        }
    }
}
