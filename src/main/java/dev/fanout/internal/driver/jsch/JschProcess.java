package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.ChannelExec;
import dev.fanout.ExitStatus;
import dev.fanout.Output;
import dev.fanout.internal.driver.BoundedOutput;
import dev.fanout.spi.RemoteProcess;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command on a JSch exec channel with its standard input and output as streams. JSch closes the standard error
 * stream, a {@link BoundedOutput}, only when the channel closes, after the exit status has arrived: waiting for that
 * close is waiting for the command.
 */
final class JschProcess implements RemoteProcess {

    private final ChannelExec channel;
    private final OutputStream stdin;
    private final InputStream stdout;
    private final BoundedOutput stderr;

    JschProcess(ChannelExec channel, OutputStream stdin, InputStream stdout, BoundedOutput stderr) {
        this.channel = channel;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    @Override
    public OutputStream stdin() {
        return stdin;
    }

    @Override
    public InputStream stdout() {
        return stdout;
    }

    @Override
    public Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException {
        try {
            stderr.closed().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            throw new IllegalStateException("BoundedOutput.closed() never fails", e);
        }
        int code = channel.getExitStatus();
        if (code != -1) {
            return Optional.of(ExitStatus.exited(code));
        }
        String signal = channel.getExitSignal();
        return Optional.of(signal != null ? new ExitStatus.Signaled(signal) : new ExitStatus.Unknown());
    }

    @Override
    public Output stderr() {
        return stderr.snapshot();
    }

    /** Disconnects the channel, which closes JSch's stream ends (a blocked read ends) and {@link #stderr}. */
    @Override
    public void close() {
        channel.disconnect();
        stderr.close();
    }
}
