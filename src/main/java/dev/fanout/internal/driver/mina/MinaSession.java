package dev.fanout.internal.driver.mina;

import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.Pty;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.internal.driver.BoundedOutput;
import dev.fanout.internal.driver.Causes;
import dev.fanout.internal.driver.CommandIo;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteProcess;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.PtyMode;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.SftpModuleProperties;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;

/**
 * A MINA session.
 *
 * <p>Design: MINA's I/O threads write a channel's output straight into the two streams of a {@link CommandIo}
 * (bounded), which also feeds the command's input and, when the run listens to the output, hands it on as it comes,
 * under flow control ({@link LiveExecChannel}); the result future completes when the channel closes, which comes
 * after the exit status. On a timeout the remote process is
 * sent TERM (a {@code signal} channel request) and the channel is closed; the session stays open.
 */
final class MinaSession implements AsyncSshSession {

    private static final String PTY_TYPE = "xterm";
    /** Echo off, so nothing sent is printed back; no CR added before each newline. */
    private static final Map<PtyMode, Integer> TERMINAL_MODES = Map.of(PtyMode.ECHO, 0, PtyMode.ONLCR, 0);
    /** How long a closed channel's result waits for its input thread (stuck only in a caller's own stream). */
    private static final long INPUT_END_WAIT_SECONDS = 10;

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

    /** MINA's session, for connections through it ({@link TunnelingClient}). */
    ClientSession clientSession() {
        return session;
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
        LiveExecChannel.Tap tap = new LiveExecChannel.Tap(request.liveOutput());
        CommandIo io = new CommandIo(request, host.toString(), MinaDriver.NAME, tap);
        ChannelExec channel;
        OpenFuture opening;
        try {
            channel = newChannel(io, request, tap);
            if (io.pty().isPresent()) {
                Pty size = io.pty().get();
                channel.setUsePty(true);
                channel.setPtyType(PTY_TYPE);
                channel.setPtyColumns(size.columns());
                channel.setPtyLines(size.rows());
                channel.setPtyModes(TERMINAL_MODES);
            }
            channel.setOut(io.stdout());
            channel.setErr(io.stderr());
            opening = channel.open();
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(lostChannel(e));
        }
        CompletableFuture<ExecResult> result = new CompletableFuture<>();
        ScheduledFuture<?> limit = timer.schedule(() -> {
            ExecResult partial = io.partialResult(new ExitStatus.Unknown(), start);
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
            io.start(channel.getInvertedIn(), () -> channel.close(false));
            channel.addCloseFutureListener(closed -> {
                ExitStatus status = exitStatus(channel);
                io.channelClosed();
                // The result waits for the input thread's end (at once when there was none).
                var unusedEnd = io.inputDone().completeOnTimeout(null, INPUT_END_WAIT_SECONDS, TimeUnit.SECONDS)
                        .whenComplete((ignored, error) -> complete(result, io, request, status, start));
            });
        });
        return result;
    }

    /** An exec channel for the command: one that hands its output on as it comes when the run listens to it. */
    private ChannelExec newChannel(CommandIo io, ExecRequest request, LiveExecChannel.Tap tap) throws IOException {
        if (!request.liveOutput().enabled()) {
            return session.createExecChannel(io.commandLine(), null, io.environmentRequests());
        }
        LiveExecChannel channel = new LiveExecChannel(io.commandLine(), io.environmentRequests(), tap);
        session.getService(ConnectionService.class).registerChannel(channel);
        return channel;
    }

    private void complete(CompletableFuture<ExecResult> result, CommandIo io, ExecRequest request, ExitStatus status,
            long start) {
        try {
            io.throwFailure();
            if (status instanceof ExitStatus.Unknown && !isOpen()) {
                result.completeExceptionally(new SessionLostException(host.toString(), MinaDriver.NAME, Phase.EXEC,
                        "connection closed before the command's exit status arrived: " + request.command().text(),
                        null));
            } else {
                result.complete(io.result(status, start));
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private SessionLostException lostChannel(Throwable cause) {
        String reason = isOpen() ? "cannot open a channel: " + (cause == null ? "refused" : cause.getMessage())
                : "connection closed";
        return new SessionLostException(host.toString(), MinaDriver.NAME, Phase.CHANNEL, reason, cause);
    }

    /** Opens the channel within {@code timeout}; MINA's streams are there once it is open. */
    @Override
    public RemoteProcess start(String command, Duration timeout, int stderrLimit) {
        BoundedOutput stderr = new BoundedOutput(stderrLimit);
        ChannelExec channel;
        CompletableFuture<Void> opened = new CompletableFuture<>();
        try {
            channel = session.createExecChannel(command);
            channel.setErr(stderr);
            channel.open().addListener(opening -> {
                if (opening.isOpened()) {
                    opened.complete(null);
                } else {
                    opened.completeExceptionally(lostChannel(opening.getException()));
                }
            });
        } catch (IOException | RuntimeException e) {
            throw lostChannel(e);
        }
        try {
            opened.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return new MinaProcess(channel, stderr);
        } catch (InterruptedException e) {
            channel.close(true);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            channel.close(true);
            throw MinaFutures.unwrap(e.getCause());
        } catch (TimeoutException e) {
            channel.close(true);
            throw lostChannel(new IOException("the channel did not open within " + timeout.toMillis() + " ms"));
        }
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

    @Override
    public boolean isOpen() {
        return session.isOpen() && !session.isClosing();
    }

    @Override
    public void close() {
        session.close(true);
    }
}
