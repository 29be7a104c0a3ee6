package dev.fanout.internal.driver;

import dev.fanout.StdStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.BiConsumer;

/**
 * One output stream of a command that the run listens to: each write is kept in the stream's {@link BoundedOutput},
 * for the result, and a copy goes to the driver's tap, which hands it to the run's live output.
 */
final class LiveTee extends OutputStream {

    private final BoundedOutput kept;
    private final StdStream stream;
    private final BiConsumer<StdStream, byte[]> tap;

    LiveTee(BoundedOutput kept, StdStream stream, BiConsumer<StdStream, byte[]> tap) {
        this.kept = kept;
        this.stream = stream;
        this.tap = tap;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        kept.write(bytes, offset, length);
        if (length > 0) {
            tap.accept(stream, Arrays.copyOfRange(bytes, offset, offset + length));
        }
    }

    /** Closes the kept output, which is what the command's end is waited on. */
    @Override
    public void close() {
        kept.close();
    }
}
