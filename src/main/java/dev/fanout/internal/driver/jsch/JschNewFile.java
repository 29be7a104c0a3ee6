package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.ChannelSubsystem;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * A new remote file written over an SFTP channel of its own. JSch's {@link ChannelSftp} opens a file only with the
 * server's default mode and never exclusively, so this speaks the few SFTP version 3 requests an upload needs
 * (init, open, write, close) itself and opens the file {@code CREAT|EXCL} with a permissions attribute. Every
 * server speaks version 3 when asked for it. Writes go out in {@link #CHUNK_BYTES} requests, up to
 * {@link #IN_FLIGHT} of them awaiting their status. A failure is an {@link IOException} carrying JSch's
 * {@link SftpException} with the server's status, as ChannelSftp's streams report it.
 *
 * <p>Not thread-safe, except {@link #abort()}, which disconnects the channel so that a blocked call fails.
 */
final class JschNewFile extends OutputStream {

    /** Bytes per write request; OpenSSH's sftp-server refuses messages over 256 KiB. */
    private static final int CHUNK_BYTES = 64 * 1024;
    private static final int IN_FLIGHT = 16;
    /** The largest reply accepted: a version, a handle or a status is a few hundred bytes. */
    private static final int MAX_REPLY_BYTES = 64 * 1024;

    private static final int VERSION = 3;
    private static final byte INIT = 1;
    private static final byte REPLY_VERSION = 2;
    private static final byte OPEN = 3;
    private static final byte CLOSE = 4;
    private static final byte WRITE = 6;
    private static final byte STATUS = 101;
    private static final byte HANDLE = 102;
    private static final int FLAG_WRITE = 0x02;
    private static final int FLAG_CREAT = 0x08;
    private static final int FLAG_EXCL = 0x20;
    private static final int ATTR_PERMISSIONS = 0x04;

    private final ChannelSubsystem channel;
    private final DataInputStream in;
    private final OutputStream out;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private final Set<Integer> pending = new HashSet<>();
    private int buffered;
    private byte[] handle;
    private long offset;
    private int nextId;
    private boolean closed;
    private boolean failed;

    /** Makes the channel (not yet connected) on {@code session}. */
    JschNewFile(Session session) throws JSchException, IOException {
        channel = (ChannelSubsystem) JschSession.newChannel(session, "subsystem");
        channel.setSubsystem("sftp");
        in = new DataInputStream(channel.getInputStream());
        out = channel.getOutputStream();
    }

    /**
     * Connects the channel and opens {@code path} as a new file with {@code mode} (less the server's umask).
     *
     * @param connectTimeoutMillis JSch's limit for opening the channel (0: none); the rest is bounded by
     *     {@link #abort()}
     */
    void open(String path, int mode, int connectTimeoutMillis) throws JSchException, IOException {
        channel.connect(connectTimeoutMillis);
        send(ByteBuffer.allocate(5).put(INIT).putInt(VERSION), 0);
        ByteBuffer version = reply();
        if (version.get() != REPLY_VERSION) {
            throw new IOException("the server did not answer the SFTP init with its version");
        }
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        int id = nextId++;
        send(ByteBuffer.allocate(21 + name.length).put(OPEN).putInt(id).putInt(name.length).put(name)
                .putInt(FLAG_WRITE | FLAG_CREAT | FLAG_EXCL).putInt(ATTR_PERMISSIONS).putInt(mode), 0);
        ByteBuffer reply = reply();
        byte type = reply.get();
        if (reply.getInt() != id) {
            throw new IOException("the server answered another request than the open");
        }
        if (type == STATUS) {
            throw failure(reply);
        }
        if (type != HANDLE) {
            throw new IOException("the server answered the open with message " + type);
        }
        handle = new byte[reply.getInt()];
        reply.get(handle);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int from, int length) throws IOException {
        if (closed || failed) {
            throw new IOException(closed ? "stream closed" : "an earlier write failed");
        }
        int done = 0;
        while (done < length) {
            int count = Math.min(length - done, CHUNK_BYTES - buffered);
            System.arraycopy(bytes, from + done, buffer, buffered, count);
            buffered += count;
            done += count;
            if (buffered == CHUNK_BYTES) {
                try {
                    sendBuffered();
                } catch (IOException e) {
                    failed = true;
                    throw e;
                }
            }
        }
    }

    /**
     * Sends the bytes still buffered, waits for every write's status, closes the file and the channel; after a failed
     * write only the channel (the server then closes the file).
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (failed) {
                return;
            }
            sendBuffered();
            while (!pending.isEmpty()) {
                awaitStatus();
            }
            int id = nextId++;
            send(ByteBuffer.allocate(9 + handle.length).put(CLOSE).putInt(id).putInt(handle.length).put(handle), 0);
            pending.add(id);
            awaitStatus();
        } finally {
            channel.disconnect();
        }
    }

    /** Disconnects the channel: a call blocked on it fails. Idempotent; may be called from any thread. */
    void abort() {
        channel.disconnect();
    }

    private void sendBuffered() throws IOException {
        if (buffered == 0) {
            return;
        }
        if (pending.size() >= IN_FLIGHT) {
            awaitStatus();
        }
        int id = nextId++;
        ByteBuffer header = ByteBuffer.allocate(21 + handle.length).put(WRITE).putInt(id).putInt(handle.length)
                .put(handle).putLong(offset).putInt(buffered);
        send(header, buffered);
        pending.add(id);
        offset += buffered;
        buffered = 0;
    }

    /** Sends one message: its length, {@code header}, then {@code dataLength} bytes of {@link #buffer}. */
    private void send(ByteBuffer header, int dataLength) throws IOException {
        int length = header.position() + dataLength;
        out.write(new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length});
        out.write(header.array(), header.arrayOffset(), header.position());
        out.write(buffer, 0, dataLength);
        out.flush();
    }

    /** Reads the status of one pending request; a status other than OK fails. */
    private void awaitStatus() throws IOException {
        ByteBuffer reply = reply();
        byte type = reply.get();
        if (type != STATUS || !pending.remove(reply.getInt())) {
            throw new IOException("the server sent message " + type + " where a status was due");
        }
        if (reply.getInt(reply.position()) != ChannelSftp.SSH_FX_OK) {
            throw failure(reply);
        }
    }

    /** The body of the next message from the server (type first). */
    private ByteBuffer reply() throws IOException {
        int length;
        try {
            length = in.readInt();
            if (length <= 0 || length > MAX_REPLY_BYTES) {
                throw new IOException("bad SFTP message length " + length);
            }
            byte[] body = new byte[length];
            in.readFully(body);
            return ByteBuffer.wrap(body);
        } catch (EOFException e) {
            throw new IOException("the SFTP channel closed", e);
        }
    }

    /** The failure a status message (positioned at its code) tells. */
    private static IOException failure(ByteBuffer status) {
        int code = status.getInt();
        byte[] message = new byte[status.getInt()];
        status.get(message);
        String text = new String(message, StandardCharsets.UTF_8);
        return new IOException(text, new SftpException(code, text));
    }
}
