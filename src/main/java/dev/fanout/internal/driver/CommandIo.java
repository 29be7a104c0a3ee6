package dev.fanout.internal.driver;

import dev.fanout.Command;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Pty;
import dev.fanout.StdStream;
import dev.fanout.error.FanoutException;
import dev.fanout.error.SudoFailedException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.internal.ShellQuote;
import dev.fanout.spi.ExecRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;

/**
 * What both drivers do for one command beyond opening its channel (see {@link ExecRequest}): the command line to send
 * (environment exported, sudo's wrapper), the {@code env} requests and the pty to ask for, the streams the library
 * writes the output into (bounded, with sudo's exchange held back by a {@link SudoGate}), the feeding of the
 * command's input, and the result.
 *
 * <p>Design: the input is fed on a virtual thread of its own, started once the channel is open, only when there is
 * something to feed (stdin, or sudo's password); it writes through the library's blocking channel stream, which waits
 * for the server's window, so a stdin of any size streams in 32 KiB pieces and never sits in memory whole. With sudo
 * it first waits for the gate: sudo's prompt (it writes the password), the command's start (it goes on with stdin), or
 * a refusal, a prompt with no password to give, or a local read failure (it closes the channel through
 * {@code abort}, and {@link #result} throws the failure). The input thread never blocks the library's I/O threads.
 *
 * <p>When the run listens to the output ({@link dev.fanout.spi.LiveOutput#enabled()}), what is kept is also handed
 * to the driver's tap as it is written, after the sudo gate: a listener sees the command's output, never sudo's.
 */
public final class CommandIo {

    private static final int COPY_BUFFER = 32 * 1024;
    /** How long the end of a command waits for its input thread (stuck only in a caller's own stream). */
    private static final long INPUT_END_WAIT_SECONDS = 10;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ExecRequest request;
    private final Command command;
    private final String host;
    private final String driver;
    private final BoundedOutput stdout;
    private final BoundedOutput stderr;
    private final OutputStream stdoutSink;
    private final OutputStream stderrSink;
    private final Optional<Pty> pty;
    private final SudoGate gate;
    private final String line;
    private final CompletableFuture<Void> inputDone = new CompletableFuture<>();
    private final AtomicReference<FanoutException> failure = new AtomicReference<>();
    private final AtomicReference<InputStream> source = new AtomicReference<>();

    /**
     * A command whose output nobody listens to as it comes.
     *
     * @param request the command and its options
     * @param host the host label, for exceptions
     * @param driver the driver's name, for exceptions
     */
    public CommandIo(ExecRequest request, String host, String driver) {
        this(request, host, driver, (stream, bytes) -> {
        });
    }

    /**
     * @param request the command and its options
     * @param host the host label, for exceptions
     * @param driver the driver's name, for exceptions
     * @param liveTap where the output kept goes as it is written, when the request's live output is enabled: on
     *     the thread that writes it, a copy the tap may keep
     */
    public CommandIo(ExecRequest request, String host, String driver, BiConsumer<StdStream, byte[]> liveTap) {
        this.request = request;
        this.command = request.command();
        this.host = host;
        this.driver = driver;
        this.stdout = new BoundedOutput(request.outputLimit(), request.outputBudget());
        this.stderr = new BoundedOutput(request.outputLimit(), request.outputBudget());
        boolean live = request.liveOutput().enabled();
        this.stdoutSink = live ? new LiveTee(stdout, StdStream.STDOUT, liveTap) : stdout;
        this.stderrSink = live ? new LiveTee(stderr, StdStream.STDERR, liveTap) : stderr;
        boolean sudo = command.sudo().isPresent();
        this.pty = command.pty().isPresent() || !sudo || command.stdin().isPresent() ? command.pty()
                : Optional.of(Pty.DEFAULT);
        String exports = command.envDelivery() == Command.EnvDelivery.EXPORT ? command.environment().entrySet()
                .stream().map(variable -> "export " + variable.getKey() + "=" + ShellQuote.quote(variable.getValue())
                        + "; ")
                .collect(Collectors.joining()) : "";
        if (sudo) {
            String nonce = HexFormat.of().formatHex(RANDOM.generateSeed(8));
            String prompt = "[fanout-sudo " + nonce + "] ";
            String start = "fanout-sudo-started " + nonce;
            this.gate = new SudoGate(pty.isPresent() ? stdoutSink : stderrSink, prompt, start);
            this.line = "sudo -S -p " + ShellQuote.quote(prompt) + " -u " + ShellQuote.quote(command.sudo().get())
                    + " -- /bin/sh -c " + ShellQuote.quote("printf '%s\\n' " + ShellQuote.quote(start) + " >&2; "
                            + exports + command.text());
        } else {
            this.gate = null;
            this.line = exports + command.text();
        }
    }

    /** The command line to send in the exec request. */
    public String commandLine() {
        return line;
    }

    /** The variables to send as {@code env} requests (none unless the command asks for requests). */
    public Map<String, String> environmentRequests() {
        return command.envDelivery() == Command.EnvDelivery.REQUEST ? command.environment() : Map.of();
    }

    /** The pty to request (with echo and CR-LF translation off), if any: the command's own, or sudo's. */
    public Optional<Pty> pty() {
        return pty;
    }

    /** Where the library writes the channel's stdout (the terminal's output, with a pty). */
    public OutputStream stdout() {
        return gate != null && pty.isPresent() ? gate : stdoutSink;
    }

    /** Where the library writes the channel's stderr. */
    public OutputStream stderr() {
        return gate != null && pty.isEmpty() ? gate : stderrSink;
    }

    /** Completes when the stderr stream is closed (the library closes it when the channel closes). */
    public CompletableFuture<Void> stderrClosed() {
        return stderr.closed();
    }

    /**
     * Starts feeding the command's input, once its channel is open: end of input at once when there is nothing to
     * send (left open on a pty), else the input thread.
     *
     * @param input the channel's input stream
     * @param abort closes the channel; called when the command must not go on (sudo refused, stdin unreadable)
     */
    public void start(OutputStream input, Runnable abort) {
        if (gate == null && command.stdin().isEmpty()) {
            if (pty.isEmpty()) {
                closeQuietly(input);
            }
            inputDone.complete(null);
            return;
        }
        Thread.ofVirtual().name("fanout-input-" + host).start(() -> {
            try {
                feed(input, abort);
            } finally {
                inputDone.complete(null);
            }
        });
    }

    private void feed(OutputStream input, Runnable abort) {
        try {
            if (gate != null && !answerSudo(input)) {
                if (failure.get() != null) {
                    abort.run();
                }
                return;
            }
            if (command.stdin().isPresent() && !copyStdin(input)) {
                abort.run();
                return;
            }
            if (pty.isEmpty()) {
                input.close();
            }
        } catch (IOException e) {
            // The channel closed under the input: the command ended, timed out or was cancelled; its end tells which.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Answers sudo; true once the command has started, false when it never will (a failure recorded, or ended). */
    private boolean answerSudo(OutputStream input) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + request.timeout().toNanos();
        SudoGate.State state = gate.state();
        while (true) {
            switch (state) {
                case STARTED -> {
                    return true;
                }
                case ENDED -> {
                    return false;
                }
                case REFUSED -> {
                    failure.compareAndSet(null, new SudoFailedException(host, driver, "sudo refused the password "
                            + "(the host's login password) to run the command as " + command.sudo().get()));
                    return false;
                }
                case PASSWORD_WANTED -> {
                    if (request.sudoPassword().isEmpty()) {
                        failure.compareAndSet(null, new SudoFailedException(host, driver, "sudo asked for a "
                                + "password, and the host's credentials hold none"));
                        return false;
                    }
                    byte[] answer = request.sudoPassword().get().revealBytes();
                    try {
                        input.write(answer);
                        input.write('\n');
                        input.flush();
                    } finally {
                        java.util.Arrays.fill(answer, (byte) 0);
                    }
                    gate.answered();
                }
                case WAITING, ANSWERED -> {
                    if (System.nanoTime() - deadline >= 0) {
                        return false; // the command's own time limit ends it
                    }
                }
            }
            SudoGate.State seen = gate.state();
            state = seen != state ? seen : gate.awaitChange(seen, deadline - System.nanoTime());
        }
    }

    /** Streams stdin into the channel; false when the local source failed (recorded). */
    private boolean copyStdin(OutputStream input) throws IOException {
        InputStream in;
        try {
            in = command.stdin().get().open();
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, localFailure("cannot open", e));
            return false;
        }
        source.set(in);
        try (in) {
            byte[] buffer = new byte[COPY_BUFFER];
            while (true) {
                int read;
                try {
                    read = in.read(buffer);
                } catch (IOException e) {
                    failure.compareAndSet(null, localFailure("cannot read", e));
                    return false;
                }
                if (read < 0) {
                    input.flush();
                    return true;
                }
                input.write(buffer, 0, read);
            }
        }
    }

    private TransferFailedException localFailure(String what, Exception e) {
        return new TransferFailedException(host, driver, TransferFailedException.Reason.LOCAL_IO, "stdin",
                what + " the command's stdin (" + command.stdin().get() + "): " + e.getMessage(), e);
    }

    /** The command's channel has closed: sudo can no longer start it, and the input thread stops. */
    public void channelClosed() {
        if (gate != null) {
            gate.end();
        }
        InputStream in = source.get();
        if (in != null) {
            closeQuietly(in);
        }
    }

    /** Completes when the input thread has ended (at once when there was none). */
    public CompletableFuture<Void> inputDone() {
        return inputDone;
    }

    /** {@link #channelClosed()}, then waits for the input thread (bounded: it may be stuck in a caller's stream). */
    public void awaitInputEnd() {
        channelClosed();
        try {
            inputDone.get(INPUT_END_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            // Stuck reading a caller's stream; it ends when that stream does.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the input thread's future never fails", e);
        }
    }

    /** Throws the failure the input met, if any: it, not the channel's end, is the command's outcome. */
    public void throwFailure() {
        FanoutException failed = failure.get();
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * The command's result once its channel has closed with {@code status}.
     *
     * @throws FanoutException the failure the input met (sudo refused the password or had none to get, stdin could
     *     not be read), or {@link SudoFailedException} when sudo ended without starting the command
     */
    public ExecResult result(ExitStatus status, long startNanos) {
        throwFailure();
        if (gate != null && gate.state() != SudoGate.State.STARTED) {
            String said = scrub(gate.heldText()).strip().replaceAll("\\s+", " ");
            throw new SudoFailedException(host, driver, "sudo did not run the command (" + status + ")"
                    + (said.isEmpty() ? "" : ": " + (said.length() > 300 ? said.substring(0, 300) + "..." : said)));
        }
        return partialResult(status, startNanos);
    }

    /** The result with the output so far, for a command that timed out. */
    public ExecResult partialResult(ExitStatus status, long startNanos) {
        return new ExecResult(command.text(), status, stdout.snapshot(), stderr.snapshot(),
                Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Sudo's own words in a message: the password never, should a server print it. */
    private String scrub(String text) {
        String password = request.sudoPassword().map(secret -> secret.reveal()).orElse("");
        return password.isEmpty() ? text : text.replace(password, "******");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing is all that was asked; the channel's end reports the outcome.
        }
    }
}
