package dev.fanout.internal.driver.mina;

import dev.fanout.StdStream;
import dev.fanout.spi.LiveOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * An exec channel whose output is handed to a {@link LiveOutput} as it arrives, with SSH flow control as the
 * back-pressure: MINA's I/O thread writes each packet's data into the command's streams (for the result; sudo's
 * exchange held back), which pass what they keep to its {@link Tap}, and this channel offers that to the live output,
 * which never blocks; the packet's bytes go back to the channel's window only once the listener has had them (at
 * once when nothing of them was for the listener). The window is {@link LiveOutput#BUFFER_BYTES}, so a server sends
 * at most that much ahead of a slow listener and then waits, while MINA's I/O threads go on serving every other
 * session.
 */
final class LiveExecChannel extends ChannelExec {

    private final Tap tap;

    LiveExecChannel(String command, Map<String, ?> environment, Tap tap) {
        super(command, StandardCharsets.UTF_8, null, environment);
        this.tap = tap;
        // Read when MINA registers the channel (its window is set up then), so set before.
        CoreModuleProperties.WINDOW_SIZE.set(this, (long) LiveOutput.BUFFER_BYTES);
    }

    /**
     * Where the command's streams put what they keep (see {@link dev.fanout.internal.driver.CommandIo}); the channel
     * offers it to the live output once the packet is written.
     */
    static final class Tap implements BiConsumer<StdStream, byte[]> {
        private final List<StdStream> streams = new ArrayList<>();
        private final List<byte[]> chunks = new ArrayList<>();
        private final LiveOutput live;
        private boolean inPacket;

        Tap(LiveOutput live) {
            this.live = live;
        }

        @Override
        public synchronized void accept(StdStream stream, byte[] bytes) {
            if (inPacket) {
                streams.add(stream);
                chunks.add(bytes);
            } else {
                live.offer(stream, bytes, Tap::nothing); // held back output let go at the channel's close
            }
        }

        synchronized void startPacket() {
            inPacket = true;
        }

        /** Offers what the packet gave, the last piece carrying {@code consumed}; false when there was none. */
        synchronized boolean endPacket(Runnable consumed) {
            inPacket = false;
            for (int i = 0; i < chunks.size(); i++) {
                live.offer(streams.get(i), chunks.get(i), i == chunks.size() - 1 ? consumed : Tap::nothing);
            }
            boolean any = !chunks.isEmpty();
            streams.clear();
            chunks.clear();
            return any;
        }

        private static void nothing() {
            // Only the packet's last piece gives the window back.
        }
    }

    @Override
    protected void doWriteData(byte[] data, int offset, long length) throws IOException {
        received(out, data, offset, length);
    }

    @Override
    protected void doWriteExtendedData(byte[] data, int offset, long length) throws IOException {
        received(err, data, offset, length);
    }

    private void received(OutputStream kept, byte[] data, int offset, long length) throws IOException {
        if (isClosing()) {
            return;
        }
        int size = Math.toIntExact(length);
        tap.startPacket();
        try {
            kept.write(data, offset, size);
        } finally {
            if (!tap.endPacket(() -> giveBack(size))) {
                giveBack(size);
            }
        }
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
