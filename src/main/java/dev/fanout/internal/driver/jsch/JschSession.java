package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.Pty;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.internal.driver.BoundedOutput;
import dev.fanout.internal.driver.CommandIo;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteProcess;
import dev.fanout.spi.SshSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A JSch session.
 *
 * <p>Design: JSch's reader thread writes a channel's output straight into the two streams of a {@link CommandIo}
 * (bounded; no piped streams, no thread per stream), which also feeds the command's input and, when the run listens
 * to the output, hands it on as it comes with {@link dev.fanout.spi.LiveOutput#put}: that blocks this session's
 * reader while the host's listener is behind, so JSch reads nothing more and TCP holds the server back. JSch closes
 * the stderr stream only when the channel itself closes, after the exit
 * status has arrived, so waiting for that close is waiting for the command. When the server dies, JSch closes the
 * channels a moment before it marks the session disconnected; a missing exit status therefore waits briefly for
 * the session state before it is called a result rather than a lost session.
 */
final class JschSession implements SshSession {

    private static final long LOST_SESSION_GRACE_MILLIS = 500;
    private static final long LOST_SESSION_POLL_MILLIS = 10;
    private static final Duration JSCH_POLLED_OPEN_LIMIT = Duration.ofSeconds(20);
    private static final String PTY_TYPE = "xterm";
    /** RFC 4254 terminal modes: ECHO (53) off, ONLCR (72) off, TTY_OP_END; each a byte and a uint32. */
    private static final byte[] TERMINAL_MODES = {53, 0, 0, 0, 0, 72, 0, 0, 0, 0, 0};

    private final Host host;
    private final Session session;
    private final ConnectTimings timings;
    private final Consumer<JschSession> onClose;

    JschSession(Host host, Session session, ConnectTimings timings, Consumer<JschSession> onClose) {
        this.host = host;
        this.session = session;
        this.timings = timings;
        this.onClose = onClose;
    }

    @Override
    public Host host() {
        return host;
    }

    /** JSch's session, for connections through it ({@link JschTunnel}). */
    Session jschSession() {
        return session;
    }

    @Override
    public ConnectTimings timings() {
        return timings;
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        long start = System.nanoTime();
        CommandIo io = new CommandIo(request, host.toString(), JschDriver.NAME, request.liveOutput()::put);
        ChannelExec channel = openChannel(request, io);
        long timeoutNanos = request.timeout().toNanos();
        try {
            io.stderrClosed().get(timeoutNanos - (System.nanoTime() - start), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            signalAndClose(channel);
            io.awaitInputEnd();
            throw new CommandTimeoutException(host.toString(), JschDriver.NAME, request.timeout(),
                    io.partialResult(new ExitStatus.Unknown(), start));
        } catch (InterruptedException e) {
            signalAndClose(channel);
            io.channelClosed();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (ExecutionException e) {
            throw new IllegalStateException("BoundedOutput.closed() never fails", e);
        }
        ExitStatus status = exitStatus(channel);
        channel.disconnect();
        io.awaitInputEnd();
        io.throwFailure();
        if (status instanceof ExitStatus.Unknown && sessionDropped()) {
            throw new SessionLostException(host.toString(), JschDriver.NAME, Phase.EXEC,
                    "connection closed before the command's exit status arrived: " + request.command().text(), null);
        }
        return io.result(status, start);
    }

    private ChannelExec openChannel(ExecRequest request, CommandIo io) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(io.commandLine().getBytes(StandardCharsets.UTF_8));
            io.environmentRequests().forEach(channel::setEnv);
            if (io.pty().isPresent()) {
                Pty size = io.pty().get();
                channel.setPty(true);
                channel.setPtyType(PTY_TYPE, size.columns(), size.rows(), 0, 0);
                channel.setTerminalMode(TERMINAL_MODES.clone());
            }
            channel.setOutputStream(io.stdout(), false);
            channel.setErrStream(io.stderr(), false);
            channel.connect(channelOpenTimeoutMillis(request.timeout()));
            io.start(channel.getOutputStream(), channel::disconnect);
            return channel;
        } catch (JSchException | IOException e) {
            if (channel != null) {
                channel.disconnect();
            }
            String reason = session.isConnected() ? "cannot open a channel: " + e.getMessage()
                    : "connection closed";
            throw new SessionLostException(host.toString(), JschDriver.NAME, Phase.CHANNEL, reason, e);
        }
    }

    /**
     * JSch's streams of the channel are asked for before it connects: JSch connects a channel's output to a pipe only
     * then.
     */
    @Override
    public RemoteProcess start(String command, Duration timeout, int stderrLimit) {
        BoundedOutput stderr = new BoundedOutput(stderrLimit);
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) newChannel(session, "exec");
            channel.setCommand(command.getBytes(StandardCharsets.UTF_8));
            channel.setErrStream(stderr, false);
            InputStream stdout = channel.getInputStream();
            OutputStream stdin = channel.getOutputStream();
            channel.connect(channelOpenTimeoutMillis(timeout));
            return new JschProcess(channel, stdin, stdout, stderr);
        } catch (JSchException | IOException e) {
            if (channel != null) {
                channel.disconnect();
            }
            String reason = session.isConnected() ? "cannot open a channel: " + e.getMessage() : "connection closed";
            throw new SessionLostException(host.toString(), JschDriver.NAME, Phase.CHANNEL, reason, e);
        }
    }

    /**
     * JSch waits for a channel's confirmation in one {@code wait(timeout)} that nothing wakes if the session dies
     * meanwhile; with 0 it waits in 10 ms steps (20 s at most), checking the session each time. So a pooled
     * session the server dropped is found out at once, not after the whole command timeout.
     */
    private static int channelOpenTimeoutMillis(Duration commandTimeout) {
        return commandTimeout.compareTo(JSCH_POLLED_OPEN_LIMIT) >= 0 ? 0 : (int) commandTimeout.toMillis();
    }

    /**
     * JSch bounds the channel's opening by its timeout but not the wait for the server's SFTP version that follows,
     * so a timer disconnects a channel still not ready when the time is up, which ends that wait.
     */
    @Override
    public RemoteFiles openFiles(Duration timeout) {
        ChannelSftp sftp = null;
        CompletableFuture<Void> abort = null;
        AtomicReference<ChannelSftp> opening = new AtomicReference<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        try {
            sftp = (ChannelSftp) newChannel(session, "sftp");
            int openTimeoutMillis = channelOpenTimeoutMillis(timeout);
            // The delay queue keeps a cancelled task until its time: it must not hold the channel meanwhile.
            opening.set(sftp);
            abort = CompletableFuture.runAsync(() -> {
                ChannelSftp late = opening.getAndSet(null);
                if (late != null) {
                    // Set before the disconnect, which is what makes connect() fail.
                    abandoned.set(true);
                    late.disconnect();
                }
            }, CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS));
            sftp.connect(openTimeoutMillis);
            opening.set(null);
            abort.cancel(false);
            if (!sftp.isConnected()) {
                throw new JSchException("SFTP channel not ready within " + timeout.toMillis() + " ms");
            }
            return new JschFiles(sftp, host.toString(), session, openTimeoutMillis);
        } catch (JSchException e) {
            opening.set(null);
            if (abort != null) {
                abort.cancel(false);
            }
            if (abandoned.get() && session.isConnected()) {
                throw new TransferFailedException(host.toString(), JschDriver.NAME,
                        TransferFailedException.Reason.TIMED_OUT, "sftp",
                        "the SFTP subsystem did not answer within " + timeout.toMillis() + " ms", e);
            }
            if (sftp != null) {
                sftp.disconnect();
            }
            if (session.isConnected() && String.valueOf(e.getMessage()).contains("channel request")) {
                throw new TransferFailedException(host.toString(), JschDriver.NAME,
                        TransferFailedException.Reason.UNSUPPORTED, "sftp",
                        "the server refused the SFTP subsystem: " + e.getMessage(), e);
            }
            String reason = session.isConnected() ? "cannot open an SFTP channel: " + e.getMessage()
                    : "connection closed";
            throw new SessionLostException(host.toString(), JschDriver.NAME, Phase.CHANNEL, reason, e);
        }
    }

    /**
     * A new channel of {@code type} on {@code session}. JSch's {@code openChannel} returns null, not an exception,
     * when the session goes down meanwhile.
     */
    static Channel newChannel(Session session, String type) throws JSchException {
        Channel channel = session.openChannel(type);
        if (channel == null) {
            throw new JSchException("session is down");
        }
        return channel;
    }

    private static ExitStatus exitStatus(ChannelExec channel) {
        int code = channel.getExitStatus();
        if (code != -1) {
            return ExitStatus.exited(code);
        }
        String signal = channel.getExitSignal();
        return signal != null ? new ExitStatus.Signaled(signal) : new ExitStatus.Unknown();
    }

    private boolean sessionDropped() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LOST_SESSION_GRACE_MILLIS);
        while (session.isConnected() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(LOST_SESSION_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !session.isConnected();
    }

    private static void signalAndClose(ChannelExec channel) {
        try {
            channel.sendSignal("TERM");
        } catch (Exception e) {
            // The server may not support signals, or the channel is already gone; closing it is what matters.
        }
        channel.disconnect();
    }

    @Override
    public boolean isOpen() {
        return session.isConnected();
    }

    @Override
    public void close() {
        session.disconnect();
        onClose.accept(this);
    }
}
