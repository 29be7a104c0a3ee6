package dev.fanout.internal.driver;

import dev.fanout.error.TransferFailedException;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * For drivers implementing {@link RemoteFiles}: wraps a library's SFTP stream so that its {@link IOException}s
 * become the driver's {@link TransferFailedException}s, as {@code RemoteFiles} promises.
 */
public final class RemoteStreams {

    /** Turns a failed stream operation ({@code write}, {@code read}, {@code close}) into the driver's exception. */
    @FunctionalInterface
    public interface Failure {
        /** The exception to throw for {@code error}, which happened during {@code operation}. */
        TransferFailedException of(String operation, IOException error);
    }

    private RemoteStreams() {
    }

    /** {@code out}, reporting failures through {@code failure}. */
    public static OutputStream output(OutputStream out, Failure failure) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) {
                try {
                    out.write(b);
                } catch (IOException e) {
                    throw failure.of("write", e);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                try {
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    throw failure.of("write", e);
                }
            }

            @Override
            public void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw failure.of("close", e);
                }
            }
        };
    }

    /** {@code in}, reporting failures through {@code failure}. */
    public static InputStream input(InputStream in, Failure failure) {
        return new FilterInputStream(in) {
            @Override
            public int read() {
                try {
                    return in.read();
                } catch (IOException e) {
                    throw failure.of("read", e);
                }
            }

            @Override
            public int read(byte[] bytes, int offset, int length) {
                try {
                    return in.read(bytes, offset, length);
                } catch (IOException e) {
                    throw failure.of("read", e);
                }
            }

            @Override
            public void close() {
                try {
                    in.close();
                } catch (IOException e) {
                    throw failure.of("close", e);
                }
            }
        };
    }
}
