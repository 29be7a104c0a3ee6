package dev.fanout.internal.driver.jsch;

import dev.fanout.StdStream;
import dev.fanout.internal.driver.BoundedOutput;
import dev.fanout.spi.LiveOutput;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * What JSch's reader thread writes one stream of a command into when the run listens to its output: each write is
 * kept in the stream's {@link BoundedOutput}, for the result, and handed to the {@link LiveOutput} with
 * {@link LiveOutput#put}, which blocks this session's reader while the host's listener is behind. JSch then reads
 * nothing more from the socket, so TCP holds the server back; other sessions have readers of their own.
 */
final class JschLiveStream extends OutputStream {

    private final BoundedOutput kept;
    private final LiveOutput live;
    private final StdStream stream;

    JschLiveStream(BoundedOutput kept, LiveOutput live, StdStream stream) {
        this.kept = kept;
        this.live = live;
        this.stream = stream;
    }

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        kept.write(bytes, offset, length);
        if (length > 0) {
            live.put(stream, Arrays.copyOfRange(bytes, offset, offset + length));
        }
    }

    /** Closes the kept output, which is what the command's end is waited on. */
    @Override
    public void close() {
        kept.close();
    }
}
