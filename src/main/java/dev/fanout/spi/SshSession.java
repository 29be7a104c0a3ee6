package dev.fanout.spi;

import dev.fanout.ExecResult;
import dev.fanout.Host;

/**
 * An authenticated SSH session with one host. Commands may run one after another on it; it is not meant to run
 * several at once. Closing it is idempotent.
 */
public interface SshSession extends AutoCloseable {

    /** The host this session is connected to. */
    Host host();

    /**
     * Runs one command on a new channel, with standard input closed, collecting each output stream up to the
     * request's limit and draining the rest.
     *
     * @return the result; a non-zero exit is a result, not an exception
     * @throws dev.fanout.error.CommandTimeoutException when the command outlives its timeout (its channel is closed
     *     and the process signalled; the session is left usable or closed)
     * @throws dev.fanout.error.SessionLostException when the channel cannot be opened or the session drops
     */
    ExecResult exec(ExecRequest request);

    /**
     * Opens an SFTP channel for file transfers, to be closed by the caller; commands may run on the session
     * meanwhile.
     *
     * @param timeout how long opening the channel and the SFTP version exchange may take
     * @throws dev.fanout.error.TransferFailedException with reason {@code UNSUPPORTED} when the server has no SFTP
     *     subsystem
     * @throws dev.fanout.error.SessionLostException when the channel cannot be opened or the session drops
     */
    RemoteFiles openFiles(java.time.Duration timeout);

    /**
     * Starts one command on a new channel with its standard input and output as streams, for transfers where the
     * server has no SFTP subsystem. The caller closes it.
     *
     * @param command the command line, run by the user's login shell
     * @param timeout how long opening the channel may take
     * @param stderrLimit how many bytes of standard error to keep; the rest is drained
     * @throws dev.fanout.error.SessionLostException when the channel cannot be opened or the session drops
     */
    RemoteProcess start(String command, java.time.Duration timeout, int stderrLimit);

    /** How long connecting took. */
    ConnectTimings timings();

    /** True while the session is connected. */
    boolean isOpen();

    /** Disconnects. Idempotent; never throws. */
    @Override
    void close();
}
