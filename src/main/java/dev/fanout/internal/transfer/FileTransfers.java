package dev.fanout.internal.transfer;

import dev.fanout.Step;
import dev.fanout.TransferResult;
import dev.fanout.UploadSource;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Uploads and downloads over any driver's {@link RemoteFiles}. Thread-safe (stateless); each call uses the
 * calling thread and one SFTP channel of the context's session, closed before it returns, or, where the server
 * refuses SFTP, {@link ExecFiles} ({@link RemoteAccess}).
 *
 * <p>An upload: make the parent directories that are missing, stream the source to a temporary name in the target
 * directory ({@link UploadTemporaryFile}: created mode 0600 and exclusively), compare the remote
 * size with the bytes sent (and the SHA-256 on request), set the mode, then rename it over the target in one step.
 * On any failure the temporary file is removed (on a new channel after a time-out) and the target is left as it
 * was. A download does the same the other way, with the temporary file beside the local target (created new, mode
 * 0600); it takes only a regular file, and only the size stat gave.
 */
public final class FileTransfers {

    private static final long FULL_BELOW_BYTES = 1 << 20;
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_LOCAL_FILE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private FileTransfers() {
    }

    /**
     * Runs an upload step.
     *
     * @throws TransferFailedException naming the path and the reason
     * @throws dev.fanout.error.SessionLostException when no channel can be opened
     * @throws java.util.concurrent.CancellationException when the thread is interrupted
     */
    public static TransferResult upload(Step.Upload step, TransferContext context) {
        try (RemoteAccess access = RemoteAccess.open(context);
                TransferWatchdog watchdog = new TransferWatchdog(access.files(), context.timeout())) {
            return upload(new FileUpload(step.source(), step.remotePath(), step.mode(), step.verifySha256()), true,
                    access, watchdog, context);
        }
    }

    /**
     * One file to upload.
     *
     * @param source the bytes
     * @param target the remote file
     * @param mode its permission bits
     * @param verifySha256 whether to compare SHA-256 digests
     */
    record FileUpload(UploadSource source, String target, int mode, boolean verifySha256) {
    }

    /**
     * Uploads one file over files already open, within their watchdog.
     *
     * @param makeDirectory whether to make the target's directories where missing
     */
    static TransferResult upload(FileUpload upload, boolean makeDirectory, RemoteAccess access,
            TransferWatchdog watchdog, TransferContext context) {
        long start = System.nanoTime();
        String target = upload.target();
        String directory = parentOf(target);
        UploadTemporaryFile temporary = new UploadTemporaryFile(
                (directory == null ? "" : directory + "/") + temporaryName(nameOf(target)));
        RemoteFiles files = access.files();
        try {
            if (makeDirectory && directory != null) {
                RemoteDirectories.make(files, directory, context);
            }
            MessageDigest digest = upload.verifySha256() ? StreamCopy.sha256() : null;
            InputStream source = openSource(upload.source());
            long sent = StreamCopy.copy(source, createClosingOnFailure(temporary, files, source), true, digest,
                    context);
            checkSize(files.stat(temporary.path()), sent, temporary.path(), context);
            Optional<String> sha256 = Optional.empty();
            if (digest != null) {
                sha256 = Optional.of(checkDigest(StreamCopy.hex(digest),
                        RemoteDigest.of(temporary.path(), files, context, watchdog), target, context));
            }
            // Its mode only now that it is whole and checked: until then no other user can read a part of it.
            files.chmod(temporary.path(), upload.mode());
            files.replace(temporary.path(), target);
            temporary.published();
            return new TransferResult(target, upload.source().toString(), sent, since(start), sha256,
                    access.method());
        } catch (TransferFailedException failure) {
            TransferFailedException explained = explain(noSpaceIfFull(failure, files, directory, context), watchdog,
                    context);
            throw temporary.removeAfter(explained, access, watchdog.fired(), context);
        } catch (StreamCopy.LocalFailure failure) {
            throw temporary.removeAfter(new TransferFailedException(context.host(), context.driver(),
                    Reason.LOCAL_IO, upload.source().toString(), "cannot read: " + failure.getMessage(),
                    failure.getCause()), access, watchdog.fired(), context);
        } finally {
            // Anything else thrown (a lost session, a cancellation): removed as far as the session allows.
            temporary.remove(access, watchdog.fired(), context);
        }
    }

    /**
     * Runs a download step for the session's host.
     *
     * @throws TransferFailedException naming the path and the reason
     * @throws dev.fanout.error.SessionLostException when no channel can be opened
     * @throws java.util.concurrent.CancellationException when the thread is interrupted
     */
    public static TransferResult download(Step.Download step, TransferContext context) {
        Path target = step.localFile().apply(context.session().host()).toAbsolutePath();
        try (RemoteAccess access = RemoteAccess.open(context);
                TransferWatchdog watchdog = new TransferWatchdog(access.files(), context.timeout())) {
            return download(step.remotePath(), target, Optional.empty(), step.verifySha256(), access, watchdog,
                    context);
        }
    }

    /**
     * Downloads one file over files already open, within their watchdog.
     *
     * @param mode the local file's permissions; empty to keep it private (0600)
     */
    static TransferResult download(String source, Path target, Optional<Set<PosixFilePermission>> mode,
            boolean verifySha256, RemoteAccess access, TransferWatchdog watchdog, TransferContext context) {
        long start = System.nanoTime();
        Path temporary = target.resolveSibling(temporaryName(target.getFileName().toString()));
        RemoteFiles files = access.files();
        boolean created = false;
        try {
            RemoteFileAttributes attributes = files.stat(source).orElseThrow(() -> new TransferFailedException(
                    context.host(), context.driver(), Reason.NO_SUCH_FILE, source, "no such file", null));
            requireFetchable(attributes, source, context);
            Files.createDirectories(target.getParent());
            MessageDigest digest = verifySha256 ? StreamCopy.sha256() : null;
            InputStream in = files.open(source);
            OutputStream out;
            try {
                out = createPrivate(temporary);
            } catch (IOException failure) {
                closeQuietly(in, failure);
                throw failure;
            }
            created = true;
            // The size stat gave: a file still growing (a log) is fetched up to it, a device never streams on.
            long received = StreamCopy.copy(in, out, false, digest, context, attributes.size());
            if (received != attributes.size()) {
                throw new TransferFailedException(context.host(), context.driver(), Reason.INTEGRITY, source,
                        "the file shrank while being read: " + received + " of its " + attributes.size()
                                + " bytes were read",
                        null);
            }
            Optional<String> sha256 = Optional.empty();
            if (digest != null) {
                sha256 = Optional.of(checkDigest(StreamCopy.hex(digest),
                        RemoteDigest.ofFirst(received, source, files, context, watchdog), source, context));
            }
            if (mode.isPresent() && temporary.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(temporary, mode.get());
            }
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            created = false;
            return new TransferResult(source, target.toString(), received, since(start), sha256, access.method());
        } catch (TransferFailedException failure) {
            throw explain(failure, watchdog, context);
        } catch (StreamCopy.LocalFailure | IOException failure) {
            IOException cause = failure instanceof StreamCopy.LocalFailure local ? local.getCause()
                    : (IOException) failure;
            throw new TransferFailedException(context.host(), context.driver(), Reason.LOCAL_IO, target.toString(),
                    "cannot write: " + cause, cause);
        } finally {
            if (created) {
                deleteQuietly(temporary);
            }
        }
    }

    /**
     * Only a regular file is fetched: a FIFO would block until the time limit and a device such as
     * {@code /dev/zero} stream until then, filling the local disk. A server that does not tell the type is trusted,
     * as far as the size it gives.
     */
    private static void requireFetchable(RemoteFileAttributes attributes, String source, TransferContext context) {
        RemoteFileAttributes.Type type = attributes.type();
        if (type != RemoteFileAttributes.Type.REGULAR && type != RemoteFileAttributes.Type.UNKNOWN) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, source,
                    "is " + type.description() + ", not a regular file", null);
        }
    }

    /**
     * A new local file only its owner may read (mode 0600 where the file system has POSIX modes), created
     * exclusively: a file or link already under the name is neither followed nor replaced.
     */
    private static OutputStream createPrivate(Path path) throws IOException {
        Set<OpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Channels.newOutputStream(Files.newByteChannel(path, options));
        }
        return Channels.newOutputStream(Files.newByteChannel(path, options, PRIVATE_LOCAL_FILE));
    }

    /** A failure caused by an interrupt is a cancellation; one caused by the watchdog, a time-out. */
    static TransferFailedException explain(TransferFailedException failure, TransferWatchdog watchdog,
            TransferContext context) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted");
        }
        return watchdog.explain(failure, context);
    }

    /**
     * SFTP version 3 (OpenSSH's) reports a full disk as a plain failure; when the server can tell the free space
     * and less than {@link #FULL_BELOW_BYTES} is left, the failure is called {@code NO_SPACE}.
     */
    private static TransferFailedException noSpaceIfFull(TransferFailedException failure, RemoteFiles files,
            String directory, TransferContext context) {
        if (failure.reason() != Reason.FAILED) {
            return failure;
        }
        OptionalLong free = files.freeBytes(directory == null ? "." : directory);
        if (free.isEmpty() || free.getAsLong() >= FULL_BELOW_BYTES) {
            return failure;
        }
        return new TransferFailedException(context.host(), context.driver(), Reason.NO_SPACE, failure.path(),
                "the file system has " + free.getAsLong() + " bytes free", failure);
    }

    /** The temporary file's stream; {@code source} is closed when the file cannot be created. */
    private static OutputStream createClosingOnFailure(UploadTemporaryFile temporary, RemoteFiles files,
            InputStream source) {
        try {
            return temporary.create(files);
        } catch (RuntimeException failure) {
            closeQuietly(source, failure);
            throw failure;
        }
    }

    private static InputStream openSource(UploadSource source) throws StreamCopy.LocalFailure {
        try {
            return source.open();
        } catch (IOException e) {
            throw new StreamCopy.LocalFailure(e);
        }
    }

    private static void checkSize(Optional<RemoteFileAttributes> remote, long copied, String path,
            TransferContext context) {
        long size = remote.map(RemoteFileAttributes::size).orElse(-1L);
        if (size != copied) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.INTEGRITY, path,
                    "size on the host is " + size + " bytes, " + copied + " bytes were transferred", null);
        }
    }

    private static String checkDigest(String local, String remote, String path, TransferContext context) {
        if (!local.equals(remote)) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.INTEGRITY, path,
                    "SHA-256 on the host is " + remote + ", the bytes transferred have " + local, null);
        }
        return local;
    }

    /** Closes a stream that is no longer wanted after {@code failure}, which carries any error doing so. */
    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // A leftover hidden temporary file; the target itself is untouched.
        }
    }

    static String temporaryName(String name) {
        return "." + name + ".fanout-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".tmp";
    }

    /** The directory part of a remote path, or null for a bare name (the login directory). */
    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return null;
        }
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }
}
