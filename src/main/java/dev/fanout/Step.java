package dev.fanout;

import dev.fanout.internal.Placeholders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One step of a {@link Task}, run on each host in order on the same session: a command, an upload, a download, a
 * directory tree's upload or download, or a local script. Transfers use SFTP, or exec where a host's server refuses
 * SFTP ({@link TransferResult.Method}); their time limit defaults to {@link Timeouts#command()}.
 */
public sealed interface Step
        permits Step.Exec, Step.Upload, Step.Download, Step.UploadTree, Step.DownloadTree, Step.Script {

    /** A step that runs a command. */
    static Exec exec(String command) {
        return new Exec(Command.of(command));
    }

    /** A step that uploads a local file to {@code remotePath} (the file's full remote name), mode 0644. */
    static Upload upload(Path localFile, String remotePath) {
        return upload(UploadSource.file(localFile), remotePath);
    }

    /** A step that uploads {@code source} to {@code remotePath} (the file's full remote name), mode 0644. */
    static Upload upload(UploadSource source, String remotePath) {
        return new Upload(source, remotePath, 0644, false, Optional.empty());
    }

    /** A step that downloads {@code remotePath} to the same local file for every host (for one host). */
    static Download download(String remotePath, Path localFile) {
        return new Download(remotePath, host -> localFile, false, Optional.empty());
    }

    /**
     * A step that downloads {@code remotePath} from each host into {@code localDirectory}, one file per host named
     * {@link #localName(Host)}.
     */
    static Download downloadEach(String remotePath, Path localDirectory) {
        return new Download(remotePath, host -> localDirectory.resolve(localName(host)), false, Optional.empty());
    }

    /**
     * A step that runs a local script on each host with {@code arguments} (shell words, variables allowed:
     * {@code "--id {{agent_id}}"}), as Ansible's {@code script} does: see {@link Script}.
     */
    static Script script(Path localFile, String arguments) {
        Objects.requireNonNull(arguments, "arguments");
        return new Script(UploadSource.file(localFile),
                Command.of(Script.PATH + (arguments.isBlank() ? "" : " " + arguments)));
    }

    /**
     * A step that uploads {@code source} as a script and runs {@code command}, in which {@code {{script}}} is the
     * script's path: {@code Command.of("bash {{script}} --id {{agent_id}}").withSudo()}. See {@link Script}.
     */
    static Script script(UploadSource source, Command command) {
        return new Script(source, command);
    }

    /**
     * A step that uploads the tree under a local directory so that it becomes {@code remoteDirectory} (see
     * {@link UploadTree}).
     *
     * @throws IllegalArgumentException if {@code localDirectory} is not a directory
     */
    static UploadTree uploadTree(Path localDirectory, String remoteDirectory) {
        return new UploadTree(localDirectory, remoteDirectory, false, Optional.empty());
    }

    /** A step that downloads the tree under {@code remoteDirectory} into the same local directory for every host. */
    static DownloadTree downloadTree(String remoteDirectory, Path localDirectory) {
        return new DownloadTree(remoteDirectory, host -> localDirectory, false, Optional.empty());
    }

    /**
     * A step that downloads the tree under {@code remoteDirectory} from each host into a directory of its own in
     * {@code localDirectory}, named {@link #localName(Host)}.
     */
    static DownloadTree downloadTreeEach(String remoteDirectory, Path localDirectory) {
        return new DownloadTree(remoteDirectory, host -> localDirectory.resolve(localName(host)), false,
                Optional.empty());
    }

    /**
     * The local file name of a host's download: the host as a host list writes it, without its user, so that the
     * name read as a host ({@code -H}, a line of a host list) is that host again: its address, then {@code :PORT}
     * when the port is not 22, an IPv6 address then in brackets; e.g. {@code web01.dc1}, {@code 10.0.0.7:2222},
     * {@code ::1}, {@code [2001:db8::7]:2222}. Never {@code .}, {@code ..} nor holding a {@code /}: addresses
     * cannot.
     */
    static String localName(Host host) {
        if (host.port() == Host.DEFAULT_PORT) {
            return host.address();
        }
        String address = host.address().indexOf(':') >= 0 ? "[" + host.address() + "]" : host.address();
        return address + ":" + host.port();
    }

    /** A human-readable description, e.g. the command line. */
    String describe();

    /**
     * Runs a command.
     *
     * @param command the command to run
     */
    record Exec(Command command) implements Step {
        /** Rejects a null command. */
        public Exec {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public String describe() {
            return command.text();
        }
    }

    /**
     * Uploads bytes to a remote file, atomically: parent directories are made as {@code mkdir -p} does, the bytes go
     * to a temporary name in the same directory, get their mode, are checked (size always, SHA-256 on request),
     * then renamed over the target in one step, so a reader sees the old file or the whole new one.
     *
     * @param source the bytes
     * @param remotePath the remote file's full name (relative names are under the login directory)
     * @param mode the file's permission bits, e.g. {@code 0755}
     * @param verifySha256 also compare SHA-256 digests ({@code sha256sum} on the host where present, else by
     *     reading the file back)
     * @param timeout a limit for this transfer, overriding {@link Timeouts#command()}
     */
    record Upload(UploadSource source, String remotePath, int mode, boolean verifySha256,
            Optional<Duration> timeout) implements Step {
        /** Rejects null components, a blank path or one ending in '/', and mode bits beyond 07777. */
        public Upload {
            Objects.requireNonNull(source, "source");
            requireFilePath(remotePath);
            if (mode < 0 || mode > 07777) {
                throw new IllegalArgumentException("mode must be within 0 and 07777: 0" + Integer.toOctalString(mode));
            }
            requirePositive(timeout);
        }

        /** This upload with other permission bits. */
        public Upload withMode(int newMode) {
            return new Upload(source, remotePath, newMode, verifySha256, timeout);
        }

        /** This upload, also checking SHA-256 digests. */
        public Upload withSha256() {
            return new Upload(source, remotePath, mode, true, timeout);
        }

        /** This upload with its own time limit. */
        public Upload withTimeout(Duration limit) {
            return new Upload(source, remotePath, mode, verifySha256, Optional.of(limit));
        }

        @Override
        public String describe() {
            return "upload " + source.name() + " -> " + remotePath;
        }
    }

    /**
     * Downloads a remote file to a local file, streaming: it is written under a temporary name beside the target,
     * checked (size always, SHA-256 on request) and then moved over the target.
     *
     * @param remotePath the remote file
     * @param localFile the local file for each host
     * @param verifySha256 also compare SHA-256 digests
     * @param timeout a limit for this transfer, overriding {@link Timeouts#command()}
     */
    record Download(String remotePath, Function<Host, Path> localFile, boolean verifySha256,
            Optional<Duration> timeout) implements Step {
        /** Rejects null components and a blank path or one ending in '/'. */
        public Download {
            requireFilePath(remotePath);
            Objects.requireNonNull(localFile, "localFile");
            requirePositive(timeout);
        }

        /** This download, also checking SHA-256 digests. */
        public Download withSha256() {
            return new Download(remotePath, localFile, true, timeout);
        }

        /** This download with its own time limit. */
        public Download withTimeout(Duration limit) {
            return new Download(remotePath, localFile, verifySha256, Optional.of(limit));
        }

        @Override
        public String describe() {
            return "download " + remotePath;
        }
    }

    /**
     * Runs a local script on the host, as Ansible's {@code script} does: uploads it to a new file of its own in the
     * login directory ({@code .fanout-script-RANDOM-NAME}, created exclusively with mode 0700, so no other user can
     * read, change or replace it), runs {@code command} with {@code {{script}}} replaced by that file's path (the
     * host's variables replaced as in any command, and every option of the command applying: sudo, environment, pty,
     * stdin, timeout, check), then removes the file, whether the command succeeded, failed or timed out (not if the
     * session itself is lost or cancelled). The host's result holds the command's result as a command step's.
     *
     * @param source the script's bytes
     * @param command how to run it; its text uses {@code {{script}}}
     */
    record Script(UploadSource source, Command command) implements Step {

        /** The placeholder for the uploaded script's path. */
        public static final String PATH = "{{script}}";

        /** Rejects null components and a command that does not use {@code {{script}}}. */
        public Script {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(command, "command");
            if (!Placeholders.names(command.text()).contains("script")) {
                throw new IllegalArgumentException("a script step's command must use " + PATH + " (the script's "
                        + "path): '" + command.text() + "'");
            }
        }

        @Override
        public String describe() {
            return "script " + source.name() + ": " + command.text();
        }
    }

    /**
     * Uploads a local directory tree, file by file, each file as an {@link Upload} is (a temporary name, its checks,
     * an atomic rename), keeping permission bits ({@code 0777}; setuid, setgid and sticky bits are not copied).
     *
     * <p>The tree is read first, not following symbolic links; a directory that cannot be read fails the step before
     * the host is changed. Directories are made as they are reached (a new one private, mode 0700, until its content
     * is in) and get their mode once their files are written; files go in name order, depth first, replacing files of
     * the same name. Symbolic links and special files (pipes, devices, sockets) are neither followed nor copied: the
     * result lists them as skipped. The first failure stops the tree: every file is then either whole and new (listed
     * in the result, which says the tree is incomplete) or as it was (absent, or its old version), and no temporary
     * file is left; directories made stay, each given its mode as far as the connection allows.
     *
     * @param localDirectory the tree's root (a link to a directory is followed, links under it are not)
     * @param remoteDirectory the remote directory the tree becomes (made with its parents where missing)
     * @param verifySha256 also compare each file's SHA-256
     * @param timeout a limit for the whole tree, overriding {@link Timeouts#command()}
     */
    record UploadTree(Path localDirectory, String remoteDirectory, boolean verifySha256, Optional<Duration> timeout)
            implements Step {
        /** Rejects null components, a local path that is not a directory and a blank remote path. */
        public UploadTree {
            Objects.requireNonNull(localDirectory, "localDirectory");
            if (!Files.isDirectory(localDirectory)) {
                throw new IllegalArgumentException("not a directory: " + localDirectory);
            }
            remoteDirectory = requireDirectoryPath(remoteDirectory);
            requirePositive(timeout);
        }

        /** This upload, also checking SHA-256 digests. */
        public UploadTree withSha256() {
            return new UploadTree(localDirectory, remoteDirectory, true, timeout);
        }

        /** This upload with its own time limit for the whole tree. */
        public UploadTree withTimeout(Duration limit) {
            return new UploadTree(localDirectory, remoteDirectory, verifySha256, Optional.of(limit));
        }

        @Override
        public String describe() {
            return "upload tree " + localDirectory + " -> " + remoteDirectory;
        }
    }

    /**
     * Downloads a remote directory tree, file by file, each file as a {@link Download} is, keeping permission bits
     * as {@link UploadTree} does (files and directories get the remote mode, setuid, setgid and sticky bits left
     * out), with the same rules for links, special files, order and failures. The remote tree is listed first,
     * directory by directory; the names the host lists are checked ({@code ..} or a name holding {@code /} fails the
     * step), and an existing local path in the way that is not a directory (a link to one included) is never
     * followed.
     *
     * @param remoteDirectory the remote tree's root (a link to a directory is followed, links under it are not)
     * @param localDirectory the local directory the tree becomes for each host (made with its parents)
     * @param verifySha256 also compare each file's SHA-256
     * @param timeout a limit for the whole tree, overriding {@link Timeouts#command()}
     */
    record DownloadTree(String remoteDirectory, Function<Host, Path> localDirectory, boolean verifySha256,
            Optional<Duration> timeout) implements Step {
        /** Rejects null components and a blank remote path. */
        public DownloadTree {
            remoteDirectory = requireDirectoryPath(remoteDirectory);
            Objects.requireNonNull(localDirectory, "localDirectory");
            requirePositive(timeout);
        }

        /** This download, also checking SHA-256 digests. */
        public DownloadTree withSha256() {
            return new DownloadTree(remoteDirectory, localDirectory, true, timeout);
        }

        /** This download with its own time limit for the whole tree. */
        public DownloadTree withTimeout(Duration limit) {
            return new DownloadTree(remoteDirectory, localDirectory, verifySha256, Optional.of(limit));
        }

        @Override
        public String describe() {
            return "download tree " + remoteDirectory;
        }
    }

    /** The path without its trailing slashes ({@code /} stays). */
    private static String requireDirectoryPath(String remotePath) {
        Objects.requireNonNull(remotePath, "remoteDirectory");
        if (remotePath.isBlank() || remotePath.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("remoteDirectory must name a directory: '" + remotePath + "'");
        }
        String trimmed = remotePath.replaceAll("/+$", "");
        return trimmed.isEmpty() ? "/" : trimmed;
    }

    private static void requireFilePath(String remotePath) {
        Objects.requireNonNull(remotePath, "remotePath");
        if (remotePath.isBlank() || remotePath.endsWith("/") || remotePath.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("remotePath must name a file: '" + remotePath + "'");
        }
    }

    private static void requirePositive(Optional<Duration> timeout) {
        Objects.requireNonNull(timeout, "timeout");
        timeout.ifPresent(limit -> {
            if (limit.isZero() || limit.isNegative()) {
                throw new IllegalArgumentException("timeout must be positive: " + limit);
            }
        });
    }
}
