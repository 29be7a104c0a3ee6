package dev.fanout.error;

import java.util.Locale;
import java.util.Objects;

/**
 * A file transfer (upload or download, over SFTP or exec) failed, in {@link Phase#TRANSFER}. {@link #reason()} tells
 * the causes a
 * caller acts on apart: a missing remote file or directory, permission denied, no space left, an integrity check
 * that failed, a local file that could not be read or written, a transfer that ran out of time. Not retryable by the
 * scheduler: part of a file may have been written (an atomic upload never leaves it under its final name).
 */
public final class TransferFailedException extends FanoutException {

    /** What went wrong. */
    public enum Reason {
        /** The remote file or one of its directories does not exist. */
        NO_SUCH_FILE,
        /** The server refused the operation for lack of permission. */
        PERMISSION_DENIED,
        /** The remote file system is full (or over quota). */
        NO_SPACE,
        /** The size or SHA-256 on the host differs from the source's. */
        INTEGRITY,
        /** A local file could not be read (upload) or written (download). */
        LOCAL_IO,
        /** The transfer ran past its time limit and was aborted. */
        TIMED_OUT,
        /**
         * The server has no SFTP subsystem: what a driver's {@code openFiles} reports; fanout's transfers then go
         * over exec.
         */
        UNSUPPORTED,
        /** Any other failure the server reported, or the channel closed mid-transfer. */
        FAILED;

        /** The lower-case name used in messages and JSON, e.g. {@code no_space}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;
    private final String path;
    private final String detail;

    /**
     * @param host the host label
     * @param driver the driver's name
     * @param reason what went wrong
     * @param path the remote (or, for {@link Reason#LOCAL_IO}, local) path concerned
     * @param detail what was seen, e.g. the server's message
     * @param cause the driver's or the JDK's exception, or {@code null}
     */
    public TransferFailedException(String host, String driver, Reason reason, String path, String detail,
            Throwable cause) {
        super(host, Phase.TRANSFER, driver, false,
                "transfer failed (" + reason.label() + "): " + path + (detail.isEmpty() ? "" : ": " + detail),
                cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.path = Objects.requireNonNull(path, "path");
        this.detail = detail;
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }

    /** The path concerned. */
    public String path() {
        return path;
    }

    /** What was seen, e.g. the server's message; may be empty. */
    public String detail() {
        return detail;
    }

    @Override
    public String kind() {
        return "transfer_failed";
    }
}
