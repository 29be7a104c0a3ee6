package dev.fanout.internal.transfer;

import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteEntry;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteProcess;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@link RemoteFiles} over exec channels, for a host whose server refuses the SFTP subsystem: each operation is one
 * of the host's own commands ({@code stat}, {@code mkdir}, {@code chmod}, {@code mv}, {@code rm}, a listing by the
 * shell's globs) and files stream
 * through {@code cat}, with the same guarantees as over SFTP.
 *
 * <p>Every command is a fixed {@code sh} script whose paths are its arguments ({@code "$1"}), each a single-quoted
 * word for the login shell, so no path is ever read as shell syntax: spaces, quotes, newlines, {@code $(...)},
 * glob characters and leading dashes ({@code --} ends every command's options) are taken literally. The login shell
 * must read single quotes as POSIX shells do (bash, dash, ksh and zsh do). Messages are in the C locale, so that
 * failures are told apart by them, as SFTP's status codes tell them.
 *
 * <p>A new file is created as SFTP's exclusive open creates it: refused when anything (a link too) is at its name,
 * opened by the shell with {@code set -C} (noclobber, an {@code O_EXCL} open) under a umask that gives it only the
 * mode asked for, before a byte is sent. When {@code cat} fails (a full disk), the command says {@link #FAILED}
 * and reads its input to the end, so its channel closes only after this side's end-of-file: a server closing it
 * while this side still writes can cross JSch's next data packet, which JSch then sends after its own close, and
 * OpenSSH drops the whole connection for that ("data packet referred to nonexistent channel"), so the temporary
 * file could not be removed. A file to read is opened before a byte is read. Each command's time limit
 * is what is left of the limit this was opened with; {@link #close()} aborts a stream in progress (what the channel
 * still holds is not read).
 */
final class ExecFiles implements RemoteFiles {

    /** Standard error kept of a command (its message); standard output of a short command. */
    private static final int OUTPUT_LIMIT = 64 * 1024;
    private static final int MESSAGE_CHARS = 500;
    private static final String READY = "fanout-ready";
    /** What {@link #CREATE} prints after {@link #READY} when {@code cat} failed. */
    private static final String FAILED = "fanout-failed";
    /** What {@link #STAT} prints: the size, then the raw mode in hex. */
    private static final Pattern STAT_LINE = Pattern.compile("([0-9]{1,18}) ([0-9a-f]{1,7})");
    /** How long a stream that failed waits for its command's message. */
    private static final Duration MESSAGE_WAIT = Duration.ofSeconds(2);

    private static final String STAT = "export LC_ALL=C; exec stat -L -c '%s %f' -- \"$1\"";
    private static final String MKDIR = "export LC_ALL=C; exec mkdir -- \"$1\"";
    private static final String CHMOD = "export LC_ALL=C; exec chmod -- \"$2\" \"$1\"";
    private static final String REMOVE = "export LC_ALL=C; exec rm -- \"$1\"";
    /** A rename over a file; {@code mv} would move it into a directory, which SFTP's rename refuses. */
    private static final String REPLACE = "export LC_ALL=C; if [ -d \"$2\" ]; then echo \"$2: Is a directory\" >&2; "
            + "exit 1; fi; exec mv -f -- \"$1\" \"$2\"";
    /**
     * noclobber opens a new file {@code O_EXCL} but opens an existing special file (a link to {@code /dev/null}):
     * anything at the name is refused first. A failed {@code cat} is followed by one that discards the rest.
     */
    private static final String CREATE = "export LC_ALL=C; if [ -e \"$1\" ] || [ -h \"$1\" ]; then "
            + "echo \"$1: File exists\" >&2; exit 1; fi; umask \"$2\" && set -C && exec 3>\"$1\" || exit 1; "
            + "echo " + READY + "; cat >&3 3>&- && exit 0; s=$?; echo " + FAILED
            + "; cat >/dev/null; exit \"$s\"";
    private static final String OPEN = "export LC_ALL=C; exec 3<\"$1\" || exit 1; echo " + READY
            + "; exec cat <&3 3<&-";

    /**
     * Batches of at most 256 entries (one {@code stat} each, within any command-line limit): their count, their names
     * each ended by a NUL, then a {@link #STAT_LINE} for each, as it is ({@code stat} without {@code -L}). A leading
     * {@code -} would be an option of {@code cd}, and {@code -} alone the previous directory even after {@code --}.
     * A shell's {@code cd} does not say why it failed: a missing or unreadable directory is told first.
     */
    private static final String LIST = "export LC_ALL=C; unset CDPATH; case $1 in -*) set -- \"./$1\";; esac; "
            + "if [ ! -e \"$1\" ]; then echo \"$1: No such file or directory\" >&2; exit 1; fi; "
            + "if [ ! -r \"$1\" ] || [ ! -x \"$1\" ]; then echo \"$1: Permission denied\" >&2; exit 1; fi; "
            + "cd -- \"$1\" || exit 1; set --; for f in .[!.]* ..?* *; do "
            + "if [ -e \"$f\" ] || [ -h \"$f\" ]; then set -- \"$@\" \"$f\"; if [ \"$#\" -ge 256 ]; then "
            + "echo \"$#\" && printf '%s\\0' \"$@\" && stat -c '%s %f' -- \"$@\" || exit 1; set --; fi; fi; done; "
            + "if [ \"$#\" -gt 0 ]; then echo \"$#\" && printf '%s\\0' \"$@\" && stat -c '%s %f' -- \"$@\" || exit 1; "
            + "fi";
    /** The most a listing may print: some 500,000 entries. */
    private static final int LIST_OUTPUT_LIMIT = 64 << 20;

    private final TransferContext context;
    private final Duration limit;
    private final long deadlineNanos;
    private volatile RemoteProcess streaming;
    private volatile boolean closed;

    /** Files of {@code context}'s session, every operation within {@code limit} from now. */
    ExecFiles(TransferContext context, Duration limit) {
        this.context = context;
        this.limit = limit;
        this.deadlineNanos = System.nanoTime() + limit.toNanos();
    }

    @Override
    public Optional<RemoteFileAttributes> stat(String path) {
        ExecResult result = run("stat", path, STAT, path);
        if (!result.isSuccess()) {
            TransferFailedException failure = failure(path, "stat", result.stderr().text(), result.exitStatus());
            if (failure.reason() == Reason.NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw failure;
        }
        Matcher line = STAT_LINE.matcher(result.stdout().text().strip());
        if (!line.matches()) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                    "stat printed '" + clip(result.stdout().text()) + "', not a size and a mode", null);
        }
        int mode = Integer.parseInt(line.group(2), 16);
        return Optional.of(new RemoteFileAttributes(Long.parseLong(line.group(1)), mode & 07777,
                RemoteFileAttributes.Type.ofPosixMode(mode)));
    }

    @Override
    public List<RemoteEntry> list(String directory) {
        ExecResult result = run("list", directory, LIST_OUTPUT_LIMIT, LIST, directory);
        check(result, directory, "list");
        if (result.stdout().truncated()) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, directory,
                    "list: the listing is over " + LIST_OUTPUT_LIMIT + " bytes", null);
        }
        try {
            return parseListing(result.stdout().text());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, directory,
                    "list: cannot read the listing: " + e.getMessage(), e);
        }
    }

    /** The entries of {@link #LIST}'s output. */
    private static List<RemoteEntry> parseListing(String listing) {
        List<RemoteEntry> entries = new ArrayList<>();
        int at = 0;
        while (at < listing.length()) {
            int countEnd = listing.indexOf('\n', at);
            int count = Integer.parseInt(listing.substring(at, countEnd));
            at = countEnd + 1;
            List<String> names = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int nameEnd = listing.indexOf('\0', at);
                names.add(listing.substring(at, nameEnd));
                at = nameEnd + 1;
            }
            for (String name : names) {
                int lineEnd = listing.indexOf('\n', at);
                Matcher line = STAT_LINE.matcher(listing.substring(at, lineEnd));
                if (!line.matches()) {
                    throw new IllegalArgumentException("not a size and a mode: " + listing.substring(at, lineEnd));
                }
                int mode = Integer.parseInt(line.group(2), 16);
                entries.add(new RemoteEntry(name, new RemoteFileAttributes(Long.parseLong(line.group(1)),
                        mode & 07777, RemoteFileAttributes.Type.ofPosixMode(mode))));
                at = lineEnd + 1;
            }
        }
        return entries;
    }

    @Override
    public void mkdir(String path) {
        check(run("mkdir", path, MKDIR, path), path, "mkdir");
    }

    @Override
    public OutputStream createNew(String path, int mode) {
        RemoteProcess process = startReady("create", path, CREATE, path, Integer.toOctalString(~mode & 0777));
        return new FilterOutputStream(process.stdin()) {
            /**
             * Output after {@link #READY} ({@link #FAILED}, or the end) means {@code cat} stopped: end-of-file then
             * ends the command, which says why.
             */
            @Override
            public void write(byte[] bytes, int offset, int length) {
                requireOpen(path);
                try {
                    if (process.stdout().available() != 0) {
                        close();
                        throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                                "write: cat stopped before the end", null);
                    }
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    throw ended(process, path, "write", e);
                }
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            /** Sends end-of-file, then waits for {@code cat} to have written everything. */
            @Override
            public void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw ended(process, path, "close", e);
                }
                try {
                    ExitStatus status = await(process, path);
                    if (!status.isSuccess()) {
                        throw failure(path, "write", process.stderr().text(), status);
                    }
                } finally {
                    process.close();
                }
            }
        };
    }

    @Override
    public InputStream open(String path) {
        RemoteProcess process = startReady("open", path, OPEN, path);
        return new FilterInputStream(process.stdout()) {
            private boolean ended;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            /** At the end, {@code cat}'s exit status tells whether it read the whole file. */
            @Override
            public int read(byte[] bytes, int offset, int length) {
                requireOpen(path);
                int read;
                try {
                    read = in.read(bytes, offset, length);
                } catch (IOException e) {
                    throw ended(process, path, "read", e);
                }
                if (read < 0 && !ended) {
                    ExitStatus status = await(process, path);
                    if (!status.isSuccess()) {
                        throw failure(path, "read", process.stderr().text(), status);
                    }
                    ended = true;
                }
                return read;
            }

            /** Before the end (a reader that took what it wanted), the command is cut off. */
            @Override
            public void close() {
                process.close();
            }
        };
    }

    @Override
    public void chmod(String path, int mode) {
        check(run("chmod", path, CHMOD, path, Integer.toOctalString(mode)), path, "chmod");
    }

    @Override
    public void replace(String from, String to) {
        check(run("rename", to, REPLACE, from, to), to, "rename");
    }

    /** Not needed: {@code cat} says when the disk is full ({@code ENOSPC}), where SFTP version 3 cannot. */
    @Override
    public OptionalLong freeBytes(String path) {
        return OptionalLong.empty();
    }

    @Override
    public void remove(String path) {
        check(run("remove", path, REMOVE, path), path, "remove");
    }

    /** Aborts a stream in progress; later operations fail. */
    @Override
    public void close() {
        closed = true;
        RemoteProcess open = streaming;
        if (open != null) {
            open.close();
        }
    }

    /** Runs a short command, within the time left. */
    private ExecResult run(String operation, String path, String script, String... arguments) {
        return run(operation, path, OUTPUT_LIMIT, script, arguments);
    }

    /** Runs a short command, within the time left, keeping up to {@code outputLimit} bytes of its output. */
    private ExecResult run(String operation, String path, int outputLimit, String script, String... arguments) {
        requireOpen(path);
        try {
            return context.session().exec(new ExecRequest(command(script, arguments), left(), outputLimit));
        } catch (CommandTimeoutException e) {
            throw timedOut(path, operation, e);
        } catch (TransferFailedException e) {
            throw e;
        } catch (FanoutException e) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                    operation + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts a streaming command and waits for it to say {@link #READY}: its file is open. A command that ends first
     * failed to open it.
     */
    private RemoteProcess startReady(String operation, String path, String script, String... arguments) {
        requireOpen(path);
        RemoteProcess process;
        try {
            process = context.session().start(command(script, arguments), left(), OUTPUT_LIMIT);
        } catch (FanoutException e) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                    operation + ": " + e.getMessage(), e);
        }
        streaming = process;
        if (closed) {
            process.close();
        }
        try {
            if (awaitReady(process.stdout())) {
                return process;
            }
            ExitStatus status = await(process, path);
            throw failure(path, operation, process.stderr().text(), status);
        } catch (IOException e) {
            throw ended(process, path, operation, e);
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    /** Reads standard output up to the line {@link #READY} (a login script may print before it); false at its end. */
    private static boolean awaitReady(InputStream stdout) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = stdout.read(); b >= 0; b = stdout.read()) {
            if (b != '\n') {
                line.write(b);
                if (line.size() > OUTPUT_LIMIT) {
                    throw new IOException("no '" + READY + "' in the first " + OUTPUT_LIMIT + " bytes of output");
                }
            } else if (line.toString(StandardCharsets.UTF_8).equals(READY)) {
                return true;
            } else {
                line.reset();
            }
        }
        return false;
    }

    /** Waits for a streaming command's end within the time left. */
    private ExitStatus await(RemoteProcess process, String path) {
        try {
            Optional<ExitStatus> status = process.waitFor(left());
            if (status.isEmpty()) {
                process.close();
                throw timedOut(path, "wait", null);
            }
            if (closed || status.get() instanceof ExitStatus.Unknown) {
                throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                        closed ? "aborted" : "the channel closed before the command's exit status", null);
            }
            return status.get();
        } catch (InterruptedException e) {
            process.close();
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        }
    }

    /** The failure of a stream whose channel failed: the command's own message when it ended with one. */
    private TransferFailedException ended(RemoteProcess process, String path, String operation, IOException error) {
        if (!closed) {
            // The command's message arrives before the channel's close: wait for that close, briefly.
            try {
                process.waitFor(left().compareTo(MESSAGE_WAIT) < 0 ? left() : MESSAGE_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        process.close();
        String message = process.stderr().text();
        if (!closed && !message.isBlank()) {
            return failure(path, operation, message, new ExitStatus.Unknown());
        }
        return new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path,
                operation + ": " + (closed ? "aborted" : error.getMessage()), error);
    }

    private void check(ExecResult result, String path, String operation) {
        if (!result.isSuccess()) {
            throw failure(path, operation, result.stderr().text(), result.exitStatus());
        }
    }

    /** A command's failure, its reason read from its message as SFTP servers map {@code errno}. */
    private TransferFailedException failure(String path, String operation, String message, ExitStatus status) {
        String lower = message.toLowerCase(Locale.ROOT);
        Reason reason;
        if (lower.contains("no such file") || lower.contains("not a directory")
                || lower.contains("too many levels of symbolic links")) {
            reason = Reason.NO_SUCH_FILE;
        } else if (lower.contains("permission denied") || lower.contains("operation not permitted")
                || lower.contains("read-only file system")) {
            reason = Reason.PERMISSION_DENIED;
        } else if (lower.contains("no space left") || lower.contains("quota exceeded")) {
            reason = Reason.NO_SPACE;
        } else {
            reason = Reason.FAILED;
        }
        String detail = message.isBlank() ? operation + " over exec ended with " + status : clip(message);
        return new TransferFailedException(context.host(), context.driver(), reason, path, detail, null);
    }

    private TransferFailedException timedOut(String path, String operation, Exception cause) {
        return new TransferFailedException(context.host(), context.driver(), Reason.TIMED_OUT, path,
                operation + " aborted after " + limit.toMillis() + " ms", cause);
    }

    private void requireOpen(String path) {
        if (closed) {
            throw new TransferFailedException(context.host(), context.driver(), Reason.FAILED, path, "aborted", null);
        }
    }

    /** The time left of the limit, at least 1 ms. */
    private Duration left() {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadlineNanos - System.nanoTime()));
    }

    /** {@code sh} running {@code script} with {@code arguments} as its {@code $1}, {@code $2}, ... */
    static String command(String script, String... arguments) {
        return "exec sh -c " + RemoteDigest.quote(script) + " sh "
                + Arrays.stream(arguments).map(RemoteDigest::quote).collect(Collectors.joining(" "));
    }

    /** A message on one line, cut to {@link #MESSAGE_CHARS}. */
    private static String clip(String text) {
        String line = text.strip().replace('\n', ' ');
        return line.length() <= MESSAGE_CHARS ? line : line.substring(0, MESSAGE_CHARS) + "...";
    }
}
