package dev.fanout.internal.transfer;

import dev.fanout.error.TransferFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.CancellationException;

/**
 * The copy loop of every transfer: constant memory (one buffer), progress every {@link TransferContext#PROGRESS_STEP}
 * bytes, an optional digest of the bytes passing, and the local side's {@link IOException}s told apart from the
 * remote side's failures (which the SPI's streams throw as {@link TransferFailedException}).
 */
final class StreamCopy {

    /** Thrown for a failure on the local side; carries the local path for the message. */
    static final class LocalFailure extends Exception {
        LocalFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static final int BUFFER_BYTES = 64 * 1024;

    private StreamCopy() {
    }

    /**
     * Copies {@code in} to {@code out} and closes both.
     *
     * @param localIsSource whether {@code in} is the local side (upload) rather than {@code out} (download)
     * @return the bytes copied
     */
    static long copy(InputStream in, OutputStream out, boolean localIsSource, MessageDigest digest,
            TransferContext context) throws LocalFailure {
        return copy(in, out, localIsSource, digest, context, Long.MAX_VALUE);
    }

    /**
     * Copies at most {@code limit} bytes of {@code in} to {@code out} and closes both.
     *
     * @param localIsSource whether {@code in} is the local side (upload) rather than {@code out} (download)
     * @return the bytes copied
     */
    static long copy(InputStream in, OutputStream out, boolean localIsSource, MessageDigest digest,
            TransferContext context, long limit) throws LocalFailure {
        byte[] buffer = new byte[BUFFER_BYTES];
        long total = 0;
        long nextReport = TransferContext.PROGRESS_STEP;
        try (in; out) {
            while (total < limit) {
                int wanted = (int) Math.min(buffer.length, limit - total);
                int read = localIsSource ? readLocal(in, buffer, wanted) : in.read(buffer, 0, wanted);
                if (read < 0) {
                    break;
                }
                if (localIsSource) {
                    out.write(buffer, 0, read);
                } else {
                    writeLocal(out, buffer, read);
                }
                if (digest != null) {
                    digest.update(buffer, 0, read);
                }
                total += read;
                if (total >= nextReport) {
                    context.progress().accept(total);
                    nextReport = total + TransferContext.PROGRESS_STEP;
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new CancellationException("interrupted");
                }
            }
        } catch (IOException e) {
            // Closing the local stream failed (the remote streams throw TransferFailedException).
            throw new LocalFailure(e);
        }
        context.progress().accept(total);
        return total;
    }

    private static int readLocal(InputStream in, byte[] buffer, int length) throws LocalFailure {
        try {
            return in.read(buffer, 0, length);
        } catch (IOException e) {
            throw new LocalFailure(e);
        }
    }

    private static void writeLocal(OutputStream out, byte[] buffer, int length) throws LocalFailure {
        try {
            out.write(buffer, 0, length);
        } catch (IOException e) {
            throw new LocalFailure(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }
}
