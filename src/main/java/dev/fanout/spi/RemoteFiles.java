package dev.fanout.spi;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * An SFTP channel on one session: the few file operations fanout's transfers are built from (see
 * {@code dev.fanout.internal.transfer}). Paths are the server's: absolute, or relative to the login directory.
 *
 * <p>Every method reports a failure the server or the channel gives as a
 * {@link dev.fanout.error.TransferFailedException} naming the path and its reason (no such file, permission
 * denied, no space, other); so do the streams' {@code write}, {@code read} and {@code close}. Not for concurrent
 * use, except {@link #close()}, which may be called from another thread to abort a transfer in progress: the
 * blocked call then fails.
 */
public interface RemoteFiles extends AutoCloseable {

    /** The file's attributes (following symbolic links), or empty if it does not exist. */
    Optional<RemoteFileAttributes> stat(String path);

    /**
     * The entries of a directory, {@code .} and {@code ..} left out, in no particular order, with their attributes as
     * they are (a symbolic link is not followed).
     */
    java.util.List<RemoteEntry> list(String directory);

    /** Makes one directory (its parent must exist), mode 0755 less the server's umask. */
    void mkdir(String path);

    /**
     * A stream that writes a new file, created with {@code mode} (less the server's umask) and exclusively in the SFTP
     * open itself ({@code CREAT|EXCL} with a permissions attribute): it never exists with another mode, and a file or
     * link already at {@code path} makes this fail (reason {@code FAILED} on OpenSSH) without touching it.
     */
    OutputStream createNew(String path, int mode);

    /** A stream that reads a file from its start. */
    InputStream open(String path);

    /** Sets a file's permission bits. */
    void chmod(String path, int mode);

    /**
     * Renames {@code from} to {@code to}, replacing {@code to} in one step where the server can (OpenSSH's
     * {@code posix-rename@openssh.com}); elsewhere {@code to} is removed first.
     */
    void replace(String from, String to);

    /**
     * The bytes free for unprivileged users on the file system holding {@code path}, where the server tells
     * ({@code statvfs@openssh.com}); empty elsewhere. SFTP version 3 reports a full disk as a plain failure: this
     * is how fanout tells it apart.
     */
    java.util.OptionalLong freeBytes(String path);

    /** Removes a file. */
    void remove(String path);

    /** Closes the channel; idempotent, never throws. A transfer in progress fails. */
    @Override
    void close();
}
