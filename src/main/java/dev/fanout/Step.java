package dev.fanout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One step of a {@link Task}, run on each host in order on the same session: a command, an upload or a download.
 * Transfers use SFTP, or exec where a host's server refuses SFTP ({@link TransferResult.Method}); their time limit
 * defaults to {@link Timeouts#command()}.
 */
public sealed interface Step permits Step.Exec, Step.Upload, Step.Download {

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
