package dev.fanout;

import java.time.Duration;
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
 */
public record TransferResult(String remotePath, String localPath, long bytes, Duration duration,
        Optional<String> sha256) {

    /** Rejects null components and a negative size. */
    public TransferResult {
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(localPath, "localPath");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(sha256, "sha256");
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
    }
}
