package dev.fanout.internal.driver.mina;

import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.internal.driver.BoundedOutput;
import dev.fanout.internal.driver.Causes;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;

/**
 * A MINA session.
 *
 * <p>Design: MINA's I/O threads write a channel's output straight into two {@link BoundedOutput}s (and, when the
 * run listens to the output, hand it on as it comes, under flow control: {@link LiveExecChannel}); the result
 * future completes when the channel closes, which comes after the exit status. On a timeout the remote process is
 * sent TERM (a {@code signal} channel request) and the channel is closed; the session stays open.
 */
final class MinaSession implements AsyncSshSession {

    private final Host host;
    private final ClientSession session;
    private final ConnectTimings timings;
    private final ScheduledExecutorService timer;

    MinaSession(Host host, ClientSession session, ConnectTimings timings, ScheduledExecutorService timer) {
        this.host = host;
        this.session = session;
        this.timings = timings;
        this.timer = timer;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public ConnectTimings timings() {
        return timings;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return MinaFutures.await(execAsync(request));
    }

    @Override
    public CompletableFuture<ExecResult> execAsync(ExecRequest request) {
        long start = System.nanoTime();
        BoundedOutput stdout = new BoundedOutput(request.outputLimit(), request.outputBudget());
        BoundedOutput stderr = new BoundedOutput(request.outputLimit(), request.outputBudget());
        ChannelExec channel;
        OpenFuture opening;
        try {
            channel = newChannel(request);
            channel.setOut(stdout);
            channel.setErr(stderr);
            opening = channel.open();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(lostChannel(e));
        }
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        ScheduledFuture<?> limit = timer.schedule(() -> {
            ExecResult partial = result(request, new ExitStatus.Unknown(), stdout, stderr, start);
            if (result.completeExceptionally(new CommandTimeoutException(host.toString(), MinaDriver.NAME,
                    request.timeout(), partial))) {
                signalAndClose(channel);
            }
        }, request.timeout().toNanos(), TimeUnit.NANOSECONDS);
        // The caller sees the result itself; this stage only cancels the limit and closes a failed channel.
        var unused = result.whenComplete((done, failure) -> {
            limit.cancel(false);
            if (failure != null && !(failure instanceof CommandTimeoutException)) {
                channel.close(true);
            }
        });
        opening.addListener(opened -> {
            if (!opened.isOpened()) {
                result.completeExceptionally(lostChannel(opened.getException()));
                return;
            }
            closeInput(channel);
            channel.addCloseFutureListener(closed -> {
                ExitStatus status = exitStatus(channel);
                if (status instanceof ExitStatus.Unknown && !isOpen()) {
                    result.completeExceptionally(new SessionLostException(host.toString(), MinaDriver.NAME,
                            Phase.EXEC, "connection closed before the command's exit status arrived: "
                                    + request.command(),
                            null));
                } else {
                    result.complete(result(request, status, stdout, stderr, start));
                }
            });
        });
        return result;
    }

    /** An exec channel for the request: one that hands its output on as it comes when the run listens to it. */
    private ChannelExec newChannel(ExecRequest request) throws IOException {
        if (!request.liveOutput().enabled()) {
            return session.createExecChannel(request.command());
        }
        LiveExecChannel channel = new LiveExecChannel(request.command(), request.liveOutput());
        session.getService(ConnectionService.class).registerChannel(channel);
        return channel;
    }

    /** Sends EOF on the command's standard input, so commands that read it finish. */
    private static void closeInput(ChannelExec channel) {
        OutputStream stdin = channel.getInvertedIn();
        if (stdin == null) {
            return;
        }
        try {
            stdin.close();
        } catch (IOException e) {
            // The channel is closing already; its close listener reports the outcome.
        }
    }

    private SessionLostException lostChannel(Throwable cause) {
        String reason = isOpen() ? "cannot open a channel: " + (cause == null ? "refused" : cause.getMessage())
                : "connection closed";
        return new SessionLostException(host.toString(), MinaDriver.NAME, Phase.CHANNEL, reason, cause);
    }

    /**
     * Opens sshd-sftp's blocking client on this session (the open and the version exchange within
     * {@code timeout}, which sshd-sftp also applies to the wait for the server's version). A session still open after
     * any other failure means the server refused the subsystem.
     */
    @Override
    public RemoteFiles openFiles(Duration timeout) {
        SftpModuleProperties.SFTP_CHANNEL_OPEN_TIMEOUT.set(session, timeout);
        try {
            // sshd-sftp's factory makes its DefaultSftpClient, whose raw requests MinaFiles needs.
            return new MinaFiles((AbstractSftpClient) SftpClientFactory.instance().createSftpClient(session),
                    host.toString());
        } catch (IOException | RuntimeException e) {
            if (!isOpen()) {
                throw new SessionLostException(host.toString(), MinaDriver.NAME, Phase.CHANNEL, "connection closed",
                        e);
            }
            String message = String.valueOf(e.getMessage());
            String lower = message.toLowerCase(java.util.Locale.ROOT);
            if (Causes.has(e, java.net.SocketTimeoutException.class) || lower.contains("timeout")
                    || lower.contains("within")) {
                throw new TransferFailedException(host.toString(), MinaDriver.NAME,
                        TransferFailedException.Reason.TIMED_OUT, "sftp",
                        "the SFTP subsystem did not answer within " + timeout.toMillis() + " ms: " + message, e);
            }
            throw new TransferFailedException(host.toString(), MinaDriver.NAME,
                    TransferFailedException.Reason.UNSUPPORTED, "sftp",
                    "the server refused the SFTP subsystem: " + message, e);
        }
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
