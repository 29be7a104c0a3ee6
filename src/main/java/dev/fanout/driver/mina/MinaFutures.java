package dev.fanout.driver.mina;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.common.future.SshFuture;

/**
 * Bridges MINA's futures to {@link CompletableFuture}. MINA's own {@code await} waits in {@code synchronized}
 * blocks, which pin virtual threads before JDK 24; a listener completing a {@code CompletableFuture} lets the
 * waiting thread park instead.
 */
final class MinaFutures {

    private MinaFutures() {
    }

    static <F extends SshFuture<F>> CompletableFuture<F> toCompletable(F future) {
        CompletableFuture<F> completable = new CompletableFuture<>();
        future.addListener(completable::complete);
        return completable;
    }

    /**
     * Waits for a future that never completes exceptionally.
     *
     * @throws TimeoutException when the time passes first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    static <T> T await(CompletableFuture<T> future, long nanos) throws TimeoutException, InterruptedException {
        try {
            return future.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("MINA future listeners complete normally", e.getCause());
        }
    }
}
