package dev.fanout.internal.driver.mina;

import dev.fanout.StdStream;
import dev.fanout.spi.LiveOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * An exec channel whose output is handed to a {@link LiveOutput} as it arrives, with SSH flow control as the
 * back-pressure: MINA's I/O thread keeps each packet's data in the channel's output stream (for the result) and
 * offers a copy to the live output, which never blocks; the bytes go back to the channel's window only once the
 * listener has had them. The window is {@link LiveOutput#BUFFER_BYTES}, so a server sends at most that much ahead
 * of a slow listener and then waits, while MINA's I/O threads go on serving every other session.
 */
final class LiveExecChannel extends ChannelExec {

    private final LiveOutput live;

    LiveExecChannel(String command, LiveOutput live) {
        super(command, StandardCharsets.UTF_8, null, Map.of());
        this.live = live;
        // Read when MINA registers the channel (its window is set up then), so set before.
        CoreModuleProperties.WINDOW_SIZE.set(this, (long) LiveOutput.BUFFER_BYTES);
    }

    @Override
    protected void doWriteData(byte[] data, int offset, long length) throws IOException {
        received(StdStream.STDOUT, out, data, offset, length);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int offset, long length) throws IOException {
        received(StdStream.STDERR, err, data, offset, length);
    }

    private void received(StdStream stream, OutputStream kept, byte[] data, int offset, long length)
            throws IOException {
        if (isClosing()) {
            return;
        }
        int size = Math.toIntExact(length);
        kept.write(data, offset, size);
        live.offer(stream, Arrays.copyOfRange(data, offset, offset + size), () -> giveBack(size));
    }

    /** Returns delivered bytes to the window, so that the server may send as much again. */
    private void giveBack(int size) {
        if (isClosing()) {
            return;
        }
        try {
            getLocalWindow().release(size);
        } catch (IOException | RuntimeException e) {
            // The channel is closing under us: its window no longer matters.
        }
    }
}
