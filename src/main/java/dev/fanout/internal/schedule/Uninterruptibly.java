package dev.fanout.internal.schedule;

/**
 * Waits that must finish even when the waiting thread is interrupted (joining a run's threads after it was
 * cancelled, which is quick): the interrupt is remembered and restored afterwards, never lost.
 */
final class Uninterruptibly {

    /** A wait that may be interrupted. */
    @FunctionalInterface
    interface Wait {
        void await() throws InterruptedException;
    }

    private Uninterruptibly() {
    }

    static void await(Wait wait) {
        boolean interrupted = false;
        while (true) {
            try {
                wait.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
