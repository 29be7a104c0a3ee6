package dev.fanout.spi;

import dev.fanout.ExitStatus;
import dev.fanout.Output;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;

/**
 * A command started by {@link SshSession#start} whose standard input and output are streams: what fanout's
 * transfers stream through where a server has no SFTP subsystem. Its streams report failures as
 * {@link java.io.IOException}s.
 *
 * <p>Not for concurrent use, except {@link #close()}, which may be called from another thread to abort: a blocked
 * read, write or wait then ends.
 */
public interface RemoteProcess extends AutoCloseable {

    /** The command's standard input; closing it sends end-of-file. */
    OutputStream stdin();

    /** The command's standard output; it ends when the command closes it or the channel closes. */
    InputStream stdout();

    /**
     * Waits for the channel to close and returns how the command ended ({@link ExitStatus.Unknown} when the channel
     * closed without saying, as when it was aborted or the connection dropped).
     *
     * @return empty when {@code timeout} passed first
     * @throws InterruptedException when the thread is interrupted
     */
    Optional<ExitStatus> waitFor(Duration timeout) throws InterruptedException;

    /** What the command wrote to its standard error so far, up to the limit given to {@link SshSession#start}. */
    Output stderr();

    /** Closes the channel; idempotent, never throws, callable from any thread. */
    @Override
    void close();
}
