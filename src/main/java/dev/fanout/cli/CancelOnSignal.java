package dev.fanout.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C or SIGTERM while a run is on: the JVM starts to shut down and runs this hook, which interrupts the thread
 * running the run (the run cancels what is left and ends), waits until that thread has printed and written the
 * results it has ({@link #resultsKept()}, at most 15 seconds), then halts the JVM with exit code
 * {@value HostJobCommand#INTERRUPTED}. A run that ends on its own removes the hook ({@link #remove()}).
 */
final class CancelOnSignal {

    /** How long the hook waits for the results before it halts the JVM anyway. */
    private static final long RESULTS_WAIT_SECONDS = 15;

    private final CountDownLatch resultsKept = new CountDownLatch(1);
    private final Thread hook;

    private CancelOnSignal(Thread runner) {
        this.hook = new Thread(() -> {
            runner.interrupt();
            try {
                resultsKept.await(RESULTS_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(HostJobCommand.INTERRUPTED);
        }, "fanout-interrupt");
    }

    /** Installs the hook for a run on {@code runner}. */
    static CancelOnSignal install(Thread runner) {
        CancelOnSignal cancel = new CancelOnSignal(runner);
        Runtime.getRuntime().addShutdownHook(cancel.hook);
        return cancel;
    }

    /** Says that the results are printed and written (or failed to be): the hook, if running, may halt the JVM. */
    void resultsKept() {
        resultsKept.countDown();
    }

    /**
     * Removes the hook before a normal exit.
     *
     * @return false when a signal came first: the JVM is shutting down and the hook ends it with its own code
     */
    boolean remove() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            return true;
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
