package dev.fanout.driver.mina;

import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.spi.BoundedOutput;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.SshSession;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.util.buffer.Buffer;

/**
 * A MINA session.
 *
 * <p>Design: MINA's I/O threads write a channel's output straight into two {@link BoundedOutput}s; the calling
 * thread parks on a future completed when the channel closes, which comes after the exit status. On a timeout the
 * remote process is sent TERM (a {@code signal} channel request) and the channel is closed; the session stays open.
 */
final class MinaSession implements SshSession {

    private final Host host;
    private final ClientSession session;

    MinaSession(Host host, ClientSession session) {
        this.host = host;
        this.session = session;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        long start = System.nanoTime();
        long deadline = start + request.timeout().toNanos();
        BoundedOutput stdout = new BoundedOutput(request.outputLimit());
        BoundedOutput stderr = new BoundedOutput(request.outputLimit());
        ChannelExec channel = openChannel(request, stdout, stderr, deadline);
        CompletableFuture<Void> closed = new CompletableFuture<>();
        channel.addCloseFutureListener(future -> closed.complete(null));
        try {
            MinaFutures.await(closed, deadline - System.nanoTime());
        } catch (TimeoutException e) {
            signalAndClose(channel);
            throw new CommandTimeoutException(host.toString(), MinaDriver.NAME, request.timeout(),
                    result(request, new ExitStatus.Unknown(), stdout, stderr, start));
        } catch (InterruptedException e) {
            channel.close(true);
            Thread.currentThread().interrupt();
            throw new SessionLostException(host.toString(), MinaDriver.NAME, Phase.EXEC, "interrupted", e);
        }
        ExitStatus status = exitStatus(channel);
        if (status instanceof ExitStatus.Unknown && !isOpen()) {
            throw new SessionLostException(host.toString(), MinaDriver.NAME, Phase.EXEC,
                    "connection closed before the command's exit status arrived: " + request.command(), null);
        }
        return result(request, status, stdout, stderr, start);
    }

    private ChannelExec openChannel(ExecRequest request, BoundedOutput stdout, BoundedOutput stderr, long deadline) {
        try {
            ChannelExec channel = session.createExecChannel(request.command());
            channel.setOut(stdout);
            channel.setErr(stderr);
            OpenFuture opened = MinaFutures.await(MinaFutures.toCompletable(channel.open()),
                    deadline - System.nanoTime());
            if (!opened.isOpened()) {
                channel.close(true);
                throw lostChannel(opened.getException());
            }
            OutputStream stdin = channel.getInvertedIn();
            if (stdin != null) {
                stdin.close();
            }
            return channel;
        } catch (IOException e) {
            throw lostChannel(e);
        } catch (TimeoutException e) {
            throw lostChannel(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw lostChannel(e);
        }
    }

    private SessionLostException lostChannel(Throwable cause) {
        String reason = isOpen() ? "cannot open a channel: " + (cause == null ? "refused" : cause.getMessage())
                : "connection closed";
        return new SessionLostException(host.toString(), MinaDriver.NAME, Phase.CHANNEL, reason, cause);
    }

    private static ExitStatus exitStatus(ChannelExec channel) {
        Integer code = channel.getExitStatus();
        if (code != null) {
            return ExitStatus.exited(code);
        }
        String signal = channel.getExitSignal();
        return signal != null ? new ExitStatus.Signaled(signal) : new ExitStatus.Unknown();
    }

    private void signalAndClose(ChannelExec channel) {
        try {
            Buffer buffer = session.createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            buffer.putUInt(channel.getRecipient());
            buffer.putString("signal");
            buffer.putBoolean(false);
            buffer.putString("TERM");
            channel.writePacket(buffer);
        } catch (IOException | RuntimeException e) {
            // The channel may be gone already; closing it is what matters.
        }
        channel.close(false);
    }

    private static ExecResult result(ExecRequest request, ExitStatus status, BoundedOutput stdout,
            BoundedOutput stderr, long start) {
        return new ExecResult(request.command(), status, stdout.snapshot(), stderr.snapshot(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public boolean isOpen() {
        return session.isOpen() && !session.isClosing();
    }

    @Override
    public void close() {
        session.close(true);
    }
}
