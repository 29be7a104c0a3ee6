package dev.fanout;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one file transfer did on one host.
 *
 * @param remotePath the file on the host (an upload's final name)
 * @param localPath the local file (an upload's source description, a download's file)
 * @param bytes the bytes transferred, checked against the size on the other side
 * @param duration how long it took, checks included
 * @param sha256 the SHA-256 (lower-case hex) both sides agreed on, when the step asked for it
 * @param method how the bytes went: over SFTP, or over exec where the host has no SFTP subsystem
 */
public record TransferResult(String remotePath, String localPath, long bytes, Duration duration,
        Optional<String> sha256, Method method) {

    /**
     * How a transfer reached the host's files. Transfers use SFTP; a host whose server refuses the SFTP subsystem (a
     * hardened host) is reached over exec instead, with the same guarantees: the bytes stream through {@code cat}
     * and the file operations are the host's own commands ({@code stat}, {@code mv}, {@code chmod}, ...).
     */
    public enum Method {
        /** The SFTP subsystem. */
        SFTP,
        /** Commands on exec channels, the server having refused SFTP. */
        EXEC;

        /** The lower-case name used in JSON, e.g. {@code exec}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Rejects null components and a negative size. */
    public TransferResult {
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(localPath, "localPath");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(method, "method");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
    }
}
