package dev.fanout.internal.driver.mina;

import dev.fanout.ExitStatus;
import dev.fanout.Output;
import dev.fanout.internal.driver.BoundedOutput;
import dev.fanout.spi.RemoteProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.channel.ChannelExec;

/**
 * A command on a MINA exec channel opened in MINA's blocking streaming mode: its standard input is MINA's
 * {@code getInvertedIn()}, its standard output {@code getInvertedOut()}. The end is the channel's close, which comes
 * after the exit status.
 */
final class MinaProcess implements RemoteProcess {

    private final ChannelExec channel;
    private final BoundedOutput stderr;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    MinaProcess(ChannelExec channel, BoundedOutput stderr) {
        this.channel = channel;
        this.stderr = stderr;
        channel.addCloseFutureListener(future -> closed.complete(null));
    }

    @Override
    public OutputStream stdin() {
        return channel.getInvertedIn();
    }

    @Override
    public InputStream stdout() {
        return channel.getInvertedOut();
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        try {
            closed.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the close listener never fails", e);
        }
        Integer code = channel.getExitStatus();
        if (code != null) {
            return Optional.of(ExitStatus.exited(code));
        }
        String signal = channel.getExitSignal();
        return Optional.of(signal != null ? new ExitStatus.Signaled(signal) : new ExitStatus.Unknown());
    }

    @Override
    public Output stderr() {
        return stderr.snapshot();
    }

    /**
     * Closes gracefully: MINA then tells the server ({@code SSH_MSG_CHANNEL_CLOSE}), which ends the command's
     * pipes; an immediate close would only drop the channel here and leave the command waiting.
     */
    @Override
    public void close() {
        channel.close(false);
    }
}
