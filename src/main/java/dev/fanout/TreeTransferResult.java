package dev.fanout;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What one directory tree transfer ({@link Step.UploadTree}, {@link Step.DownloadTree}) did on one host.
 *
 * @param remotePath the remote directory
 * @param localPath the local directory
 * @param files the files transferred, in the order done: each whole, checked and in place
 * @param skipped the entries neither followed nor copied (symbolic links, special files)
 * @param method how the files went: over SFTP, or over exec where the host has no SFTP subsystem
 * @param duration how long it took
 * @param complete false when the tree stopped at a failure (the host's error names it): the files listed are whole
 *     and new, the others as they were
 */
public record TreeTransferResult(String remotePath, String localPath, List<TransferResult> files,
        List<Skipped> skipped, TransferResult.Method method, Duration duration, boolean complete) {

    /**
     * An entry of the tree that was not copied.
     *
     * @param path its path under the tree's root, e.g. {@code conf/current}
     * @param kind what it is, e.g. {@code a symbolic link}
     */
    public record Skipped(String path, String kind) {
        /** Rejects null components. */
        public Skipped {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(kind, "kind");
        }
    }

    /** Copies the lists; rejects null components. */
    public TreeTransferResult {
        Objects.requireNonNull(remotePath, "remotePath");
        Objects.requireNonNull(localPath, "localPath");
        files = List.copyOf(files);
        skipped = List.copyOf(skipped);
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(duration, "duration");
    }

    /** The bytes of every file transferred. */
    public long bytes() {
        return files.stream().mapToLong(TransferResult::bytes).sum();
    }
}
