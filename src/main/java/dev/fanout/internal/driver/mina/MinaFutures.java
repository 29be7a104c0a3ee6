package dev.fanout.internal.driver.mina;

import dev.fanout.error.FanoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Waits on the driver's futures for the blocking API. A {@link CompletableFuture} parks a virtual thread where
 * MINA's own {@code await} (a {@code synchronized} wait) would pin it before JDK 24.
 */
final class MinaFutures {

    private MinaFutures() {
    }

    /**
     * Waits for the future; throws its {@link FanoutException} or {@link CancellationException} as is. An
     * interrupt cancels the future (the operation's cleanup runs) and throws {@link CancellationException} with
     * the thread's interrupt flag set again.
     */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.completeExceptionally(new CancellationException("interrupted"));
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** The failure to throw for a future's exceptional completion; an {@link Error} is thrown as it is. */
    static RuntimeException unwrap(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected failure in the MINA driver: " + cause, cause);
    }
}
