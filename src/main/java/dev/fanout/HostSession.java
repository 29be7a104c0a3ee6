package dev.fanout;

import dev.fanout.error.CommandFailedException;
import dev.fanout.error.FanoutException;
import dev.fanout.internal.transfer.FileTransfers;
import dev.fanout.internal.transfer.TransferContext;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.OutputBudget;
import dev.fanout.spi.SshSession;
import java.time.Duration;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * An authenticated session with one host, from {@link Fanout#connect(Host)}. Runs commands one after another;
 * not for concurrent use. Close it when done.
 */
public final class HostSession implements AutoCloseable {

    private final SshSession session;
    private final String driver;
    private final Duration defaultTimeout;
    private final int outputLimit;
    private final Optional<Secret> password;

    HostSession(SshSession session, String driver, Duration defaultTimeout, int outputLimit,
            Optional<Secret> password) {
        this.session = session;
        this.driver = driver;
        this.defaultTimeout = defaultTimeout;
        this.outputLimit = outputLimit;
        this.password = password;
    }

    /** The host. */
    public Host host() {
        return session.host();
    }

    /** Runs a command with the default timeout, unchecked. */
    public ExecResult exec(String command) {
        return exec(Command.of(command));
    }

    /**
     * Runs a command with its options (environment, pty, stdin, sudo: see {@link Command}); sudo's prompt is answered
     * with the password of the credentials this session logged in with.
     *
     * @return the result; a non-zero exit is a result unless the command is {@link Command#checked()}
     * @throws FanoutException on a timeout, a lost session, a checked command's failure, or sudo's
     *     ({@link dev.fanout.error.SudoFailedException})
     */
    public ExecResult exec(Command command) {
        ExecResult result = session.exec(new ExecRequest(command, command.timeout().orElse(defaultTimeout),
                outputLimit, OutputBudget.unlimited(), command.sudo().isPresent() ? password : Optional.empty()));
        if (command.check() && !result.isSuccess()) {
            throw new CommandFailedException(host().toString(), driver, result);
        }
        return result;
    }

    /**
     * Uploads a file (see {@link Step.Upload}: directories made, atomic replace, size and optional SHA-256 checks).
     *
     * @param progress told the bytes sent so far, every MiB and at the end
     * @throws dev.fanout.error.TransferFailedException naming the path and the reason
     * @throws FanoutException when the session is lost
     */
    public TransferResult upload(Step.Upload step, LongConsumer progress) {
        return FileTransfers.upload(step, transferContext(step.timeout(), progress));
    }

    /**
     * Downloads a file (see {@link Step.Download}).
     *
     * @param progress told the bytes received so far, every MiB and at the end
     * @throws dev.fanout.error.TransferFailedException naming the path and the reason
     * @throws FanoutException when the session is lost
     */
    public TransferResult download(Step.Download step, LongConsumer progress) {
        return FileTransfers.download(step, transferContext(step.timeout(), progress));
    }

    private TransferContext transferContext(java.util.Optional<Duration> timeout, LongConsumer progress) {
        return new TransferContext(session, driver, timeout.orElse(defaultTimeout), progress);
    }

    /** True while connected. */
    public boolean isOpen() {
        return session.isOpen();
    }

    /** Disconnects. Idempotent. */
    @Override
    public void close() {
        session.close();
    }
}
