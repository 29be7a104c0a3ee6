package dev.fanout.internal.driver.mina;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.common.channel.BufferedIoOutputStream;
import org.apache.sshd.common.future.CloseFuture;
import org.apache.sshd.common.io.IoHandler;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoReadFuture;
import org.apache.sshd.common.io.IoService;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.io.IoWriteFuture;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.closeable.AbstractCloseable;

/**
 * MINA's transport for one SSH session carried by a {@code direct-tcpip} channel of another session (a bastion's),
 * in place of a TCP socket: what MINA's NIO2 session does with a socket, this does with the channel's asynchronous
 * streams. Writes are queued ({@link BufferedIoOutputStream}, as MINA's own forwarding does) and go out as channel
 * data within the channel's window; data the channel receives is handed to the session's {@link IoHandler} as a
 * socket's would be, one read at a time, so the window opens only as fast as the session takes data. No thread and
 * no local port: everything runs on MINA's I/O threads.
 *
 * <p>Closing closes the channel (gracefully: queued writes first); the channel closing (the bastion or the target
 * hung up) closes this, and so the session on it. Thread-safe.
 */
final class ChannelIoSession extends AbstractCloseable implements IoSession {

    private static final AtomicLong IDS = new AtomicLong();
    private static final int READ_BYTES = 32 * 1024;

    private final long id = IDS.incrementAndGet();
    private final ChannelDirectTcpip channel;
    private final IoHandler handler;
    private final BufferedIoOutputStream writes;
    private final InetSocketAddress remote;
    private final Map<Object, Object> attributes = new ConcurrentHashMap<>();
    private final Buffer readBuffer = new ByteArrayBuffer(READ_BYTES);
    private final AtomicBoolean closedForHandler = new AtomicBoolean();
    private final ReentrantLock readState = new ReentrantLock();
    /** Guarded by {@link #readState}: reads are suspended; a read loop stopped for it. */
    private boolean suspended;
    private boolean parked;

    /**
     * @param channel the channel, open, in asynchronous streaming mode
     * @param handler the client's session factory, which makes and feeds the session on this transport
     * @param remote the endpoint the bastion connected to, unresolved
     */
    ChannelIoSession(ChannelDirectTcpip channel, IoHandler handler, InetSocketAddress remote) {
        this.channel = channel;
        this.handler = handler;
        this.remote = remote;
        this.writes = new BufferedIoOutputStream("tunnel-" + id, channel.getChannelId(), channel.getAsyncIn(),
                channel);
        channel.addCloseFutureListener(closed -> close(true));
    }

    /** Starts handing the channel's data to the session; called once the session exists. */
    void startReading() {
        readFrom(channel.getAsyncOut());
    }

    /** Reads until a read is pending; each completed read goes to the handler, then the next is started. */
    private void readFrom(IoInputStream in) {
        while (!isClosing() && !parkedForSuspension()) {
            readBuffer.clear();
            IoReadFuture read = in.read(readBuffer);
            if (!read.isDone()) {
                read.addListener(done -> {
                    if (handled(done)) {
                        readFrom(in);
                    }
                });
                return;
            }
            if (!handled(read)) {
                return;
            }
        }
    }

    /** Whether reads are suspended; if so the loop stops, and {@link #resumeRead()} starts it again. */
    private boolean parkedForSuspension() {
        readState.lock();
        try {
            parked = suspended;
            return suspended;
        } finally {
            readState.unlock();
        }
    }

    /** Hands a completed read to the session; false when the channel has ended (this is then closed). */
    private boolean handled(IoReadFuture read) {
        if (read.getException() != null) {
            close(false);
            return false;
        }
        try {
            handler.messageReceived(this, read.getBuffer());
            return true;
        } catch (Throwable failure) {
            exceptionCaught(failure);
            return false;
        }
    }

    private void exceptionCaught(Throwable failure) {
        try {
            handler.exceptionCaught(this, failure);
        } catch (Exception e) {
            close(true);
        }
    }

    @Override
    public long getId() {
        return id;
    }

    /** None: nothing was accepted, this session connected out. */
    @Override
    public SocketAddress getAcceptanceAddress() {
        return null;
    }

    @Override
    public SocketAddress getRemoteAddress() {
        return remote;
    }

    /** The originator the channel was opened with (the target sees the bastion's address). */
    @Override
    public SocketAddress getLocalAddress() {
        return channel.getLocalSocketAddress().toInetSocketAddress();
    }

    @Override
    public Object getAttribute(Object key) {
        return attributes.get(key);
    }

    @Override
    public Object setAttribute(Object key, Object value) {
        return attributes.put(key, value);
    }

    @Override
    public Object setAttributeIfAbsent(Object key, Object value) {
        return attributes.putIfAbsent(key, value);
    }

    @Override
    public Object removeAttribute(Object key) {
        return attributes.remove(key);
    }

    /**
     * Queues an encoded packet of the session as channel data. The packet is handed on in a plain buffer over the
     * same bytes: MINA's channel stream takes a {@code PacketBuffer} for channel data framed in place, and would
     * write its channel header over the packet.
     */
    @Override
    public IoWriteFuture writeBuffer(Buffer buffer) throws IOException {
        return writes.writeBuffer(new ByteArrayBuffer(buffer.array(), buffer.rpos(), buffer.available()));
    }

    /** None: only servers ask a session for the service that accepted it. */
    @Override
    public IoService getService() {
        return null;
    }

    /** Sends EOF on the channel once queued writes are out. */
    @Override
    public void shutdownOutputStream() throws IOException {
        writes.close(false);
    }

    /** Starts no read after the one in progress; the channel's window holds the bastion back meanwhile. */
    @Override
    public void suspendRead() {
        readState.lock();
        try {
            suspended = true;
        } finally {
            readState.unlock();
        }
    }

    @Override
    public void resumeRead() {
        boolean restart;
        readState.lock();
        try {
            suspended = false;
            restart = parked;
            parked = false;
        } finally {
            readState.unlock();
        }
        if (restart) {
            readFrom(channel.getAsyncOut());
        }
    }

    @Override
    protected CloseFuture doCloseGracefully() {
        return builder().sequential(writes, channel).build().close(false);
    }

    @Override
    protected void doCloseImmediately() {
        writes.close(true);
        channel.close(true);
        super.doCloseImmediately();
        if (closedForHandler.compareAndSet(false, true)) {
            try {
                handler.sessionClosed(this);
            } catch (Exception e) {
                // The session is closing anyway; nothing else to tell.
            }
        }
    }

    @Override
    public String toString() {
        return "ChannelIoSession[" + id + " to " + remote.getHostString() + ":" + remote.getPort() + " via "
                + channel + "]";
    }
}
