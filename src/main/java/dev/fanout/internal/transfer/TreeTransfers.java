package dev.fanout.internal.transfer;

import dev.fanout.Step;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.UploadSource;
import dev.fanout.error.FanoutException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.internal.transfer.FileTransfers.FileUpload;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Directory trees, file by file over the files of one transfer (one SFTP channel, or exec), each file as
 * {@link FileTransfers} transfers a single one, within one time limit for the whole tree. Thread-safe (stateless).
 *
 * <p>The source tree is listed first ({@link TreeListing}), so a directory that cannot be read fails the tree before
 * anything is written. Then, in pre-order: a directory is made where missing, mode 0700 while it fills (one that
 * exists is left as it is), and given its source's mode once everything under it is written; a file is transferred;
 * a link or special file is skipped. The first failure stops the tree; the directories still open then get their
 * modes as far as the connection allows, and the tree's result so far goes to {@code stopped} before the failure is
 * thrown.
 */
public final class TreeTransfers {

    /** A new directory's mode while it fills: nobody else sees its content before it has its own mode. */
    private static final int FILLING_MODE = 0700;

    /** Gives a directory whose content is in its mode. */
    @FunctionalInterface
    private interface Finisher {
        void finish(TreeEntry directory) throws IOException;
    }

    private TreeTransfers() {
    }

    /**
     * Runs an upload tree step.
     *
     * @param stopped told what was done when the tree stops at a failure, before it is thrown
     * @throws TransferFailedException naming the path and the reason
     * @throws dev.fanout.error.SessionLostException when no channel can be opened
     * @throws java.util.concurrent.CancellationException when the thread is interrupted
     */
    public static TreeTransferResult upload(Step.UploadTree step, TransferContext context,
            Consumer<TreeTransferResult> stopped) {
        Path localRoot = step.localDirectory().toAbsolutePath();
        String remoteRoot = step.remoteDirectory();
        try (RemoteAccess access = RemoteAccess.open(context);
                TransferWatchdog watchdog = new TransferWatchdog(access.files(), context.timeout())) {
            RemoteFiles files = access.files();
            Outcome outcome = new Outcome(remoteRoot, localRoot.toString(), access.method(), context);
            Deque<TreeEntry> open = new ArrayDeque<>();
            Finisher finisher = directory -> files.chmod(TreeEntry.remotePath(remoteRoot, directory.path()),
                    directory.mode());
            try {
                List<TreeEntry> entries = TreeListing.local(localRoot);
                String parent = FileTransfers.parentOf(remoteRoot);
                if (parent != null && !remoteRoot.equals("/")) {
                    RemoteDirectories.make(files, parent, context);
                }
                for (TreeEntry entry : entries) {
                    finishUntil(open, entry.path(), finisher);
                    String remote = TreeEntry.remotePath(remoteRoot, entry.path());
                    switch (entry.kind()) {
                        case DIRECTORY -> {
                            enterRemote(files, remote, context);
                            open.push(entry);
                        }
                        case FILE -> outcome.add(FileTransfers.upload(new FileUpload(source(localRoot, entry,
                                context), remote, entry.mode(), step.verifySha256()), false, access, watchdog,
                                outcome.nextFileContext()));
                        case SKIPPED -> outcome.skip(entry);
                    }
                }
                finishUntil(open, null, finisher);
                return outcome.result(true);
            } catch (IOException failure) {
                throw stop(new TransferFailedException(context.host(), context.driver(), Reason.LOCAL_IO,
                        localRoot.toString(), "cannot read the tree: " + failure, failure), open, finisher, outcome,
                        watchdog, stopped);
            } catch (FanoutException failure) {
                throw stop(failure, open, finisher, outcome, watchdog, stopped);
            }
        }
    }

    /**
     * Runs a download tree step for the session's host.
     *
     * @param stopped told what was done when the tree stops at a failure, before it is thrown
     * @throws TransferFailedException naming the path and the reason
     * @throws dev.fanout.error.SessionLostException when no channel can be opened
     * @throws java.util.concurrent.CancellationException when the thread is interrupted
     */
    public static TreeTransferResult download(Step.DownloadTree step, TransferContext context,
            Consumer<TreeTransferResult> stopped) {
        String remoteRoot = step.remoteDirectory();
        Path localRoot = step.localDirectory().apply(context.session().host()).toAbsolutePath();
        try (RemoteAccess access = RemoteAccess.open(context);
                TransferWatchdog watchdog = new TransferWatchdog(access.files(), context.timeout())) {
            RemoteFiles files = access.files();
            Outcome outcome = new Outcome(remoteRoot, localRoot.toString(), access.method(), context);
            Deque<TreeEntry> open = new ArrayDeque<>();
            Finisher finisher = directory -> {
                Path local = local(localRoot, directory);
                if (local.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(local, TreeListing.permissions(directory.mode()));
                }
            };
            try {
                RemoteFileAttributes root = files.stat(remoteRoot).orElseThrow(() -> new TransferFailedException(
                        context.host(), context.driver(), Reason.NO_SUCH_FILE, remoteRoot, "no such directory",
                        null));
                if (!root.directory()) {
                    throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, remoteRoot,
                            "is " + root.type().description() + ", not a directory", null);
                }
                List<TreeEntry> entries = TreeListing.remote(files, remoteRoot, root);
                Files.createDirectories(localRoot.getParent());
                for (TreeEntry entry : entries) {
                    finishUntil(open, entry.path(), finisher);
                    Path local = local(localRoot, entry);
                    switch (entry.kind()) {
                        case DIRECTORY -> {
                            enterLocal(local);
                            open.push(entry);
                        }
                        case FILE -> outcome.add(FileTransfers.download(TreeEntry.remotePath(remoteRoot,
                                entry.path()), local, Optional.of(TreeListing.permissions(entry.mode())),
                                step.verifySha256(), access, watchdog, outcome.nextFileContext()));
                        case SKIPPED -> outcome.skip(entry);
                    }
                }
                finishUntil(open, null, finisher);
                return outcome.result(true);
            } catch (IOException failure) {
                throw stop(new TransferFailedException(context.host(), context.driver(), Reason.LOCAL_IO,
                        localRoot.toString(), "cannot write: " + failure, failure), open, finisher, outcome, watchdog,
                        stopped);
            } catch (FanoutException failure) {
                throw stop(failure, open, finisher, outcome, watchdog, stopped);
            }
        }
    }

    /** The file an entry of a tree is uploaded from. */
    private static UploadSource source(Path root, TreeEntry entry, TransferContext context) {
        Path file = root.resolve(entry.path());
        try {
            return UploadSource.file(file);
        } catch (IllegalArgumentException unreadable) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.LOCAL_IO, file.toString(),
                    "cannot read: " + unreadable.getMessage(), unreadable);
        }
    }

    private static Path local(Path root, TreeEntry entry) {
        return entry.path().isEmpty() ? root : root.resolve(entry.path());
    }

    /** Makes a remote directory where missing, private while it fills; one that exists is entered as it is. */
    private static void enterRemote(RemoteFiles files, String directory, TransferContext context) {
        Optional<RemoteFileAttributes> found = files.stat(directory);
        if (found.isPresent()) {
            if (!found.get().directory()) {
                throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, directory,
                        "exists and is not a directory", null);
            }
            return;
        }
        files.mkdir(directory);
        files.chmod(directory, FILLING_MODE);
    }

    /**
     * Makes a local directory where missing, private while it fills. Anything else at its name, a link to a directory
     * too, is refused: the tree never writes through a link.
     */
    private static void enterLocal(Path directory) throws IOException {
        if (Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(directory.toString(), null, "exists and is not a directory");
        }
        if (directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(
                    TreeListing.permissions(FILLING_MODE)));
        } else {
            Files.createDirectory(directory);
        }
    }

    /** Gives their modes to the open directories that do not hold {@code next} (all, for null), innermost first. */
    private static void finishUntil(Deque<TreeEntry> open, String next, Finisher finisher) throws IOException {
        while (!open.isEmpty() && (next == null || !open.peek().holds(next))) {
            finisher.finish(open.pop());
        }
    }

    /**
     * After a failure: the open directories get their modes as far as the connection allows (not after a time-out,
     * which closed it), {@code stopped} hears what was done, and the failure is returned to be thrown.
     */
    private static FanoutException stop(FanoutException failure, Deque<TreeEntry> open, Finisher finisher,
            Outcome outcome, TransferWatchdog watchdog, Consumer<TreeTransferResult> stopped) {
        if (!watchdog.fired()) {
            while (!open.isEmpty()) {
                try {
                    finisher.finish(open.pop());
                } catch (IOException | RuntimeException ignored) {
                    // Left with the mode it had; the failure that stopped the tree is what is reported.
                }
            }
        }
        stopped.accept(outcome.result(false));
        if (failure instanceof TransferFailedException transfer && transfer.reason() != Reason.TIMED_OUT) {
            return FileTransfers.explain(transfer, watchdog, outcome.context);
        }
        return failure;
    }

    /** What a tree transfer did so far. */
    private static final class Outcome {
        private final String remoteRoot;
        private final String localRoot;
        private final TransferResult.Method method;
        private final TransferContext context;
        private final long startNanos = System.nanoTime();
        private final List<TransferResult> files = new ArrayList<>();
        private final List<TreeTransferResult.Skipped> skipped = new ArrayList<>();
        private long bytes;

        Outcome(String remoteRoot, String localRoot, TransferResult.Method method, TransferContext context) {
            this.remoteRoot = remoteRoot;
            this.localRoot = localRoot;
            this.method = method;
            this.context = context;
        }

        /** The context of the next file: its progress counted on from the tree's bytes so far. */
        TransferContext nextFileContext() {
            long before = bytes;
            return context.withProgress(done -> context.progress().accept(before + done));
        }

        void add(TransferResult file) {
            files.add(file);
            bytes += file.bytes();
        }

        void skip(TreeEntry entry) {
            skipped.add(new TreeTransferResult.Skipped(entry.path(), entry.description()));
        }

        TreeTransferResult result(boolean complete) {
            return new TreeTransferResult(remoteRoot, localRoot, files, skipped, method,
                    Duration.ofNanos(System.nanoTime() - startNanos), complete);
        }
    }
}
