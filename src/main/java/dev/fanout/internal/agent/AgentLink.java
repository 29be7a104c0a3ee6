package dev.fanout.internal.agent;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection attempt's use of one ssh-agent, over the JDK's Unix-domain sockets.
 *
 * <p>Design: each request opens a connection of its own and closes it after the reply (the agent protocol is request
 * and reply; ssh-agent serves many connections at once), so nothing is held between requests or shared between
 * hosts. A timer closes a connection the agent has not answered on within the limit (the auth timeout): a stuck
 * agent costs a host its auth timeout, never a hang. The link remembers what the agent did (keys listed, the first
 * failure) for the message of a login that fails. Thread-safe: the timer and {@link #close()} may act while a
 * request is under way on another thread.
 */
public final class AgentLink implements AutoCloseable {

    /** The largest reply taken from an agent, as OpenSSH's and JSch's clients do. */
    private static final int MAX_REPLY_BYTES = 256 * 1024;

    private final Path socket;
    private final Duration limit;
    private final ScheduledExecutorService timer;
    private final ReentrantLock lock = new ReentrantLock();
    private SocketChannel channel;
    private ScheduledFuture<?> closer;
    private boolean closed;
    private volatile boolean timedOut;
    private volatile int keysListed = -1;
    private volatile String failure;

    /**
     * @param socket the agent's socket
     * @param limit how long the agent may take to answer one request
     * @param timer runs the closing of unanswered connections
     */
    public AgentLink(Path socket, Duration limit, ScheduledExecutorService timer) {
        this.socket = socket;
        this.limit = limit;
        this.timer = timer;
    }

    /** The agent's socket. */
    public Path socket() {
        return socket;
    }

    /**
     * Connects to the agent for one request. The caller closes the channel when the reply is read; if it has not
     * within the limit, the link does, and the caller's blocked read fails. Opening closes the previous channel.
     *
     * @throws IOException if the agent cannot be reached (recorded for the failure message)
     */
    public SocketChannel open() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the connection attempt is over");
            }
            release();
            SocketChannel opened = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                opened.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                opened.close();
                recordFailure("cannot connect: " + e.getMessage());
                throw e;
            }
            channel = opened;
            closer = timer.schedule(() -> expire(opened), limit.toNanos(), TimeUnit.NANOSECONDS);
            return opened;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends one request and returns the reply's body, both framed as the agent protocol frames them (a four-byte
     * length first).
     *
     * @param request the whole request, length included
     * @throws IOException if the agent cannot be reached, closes the connection or does not answer in time
     */
    public byte[] exchange(byte[] request) throws IOException {
        SocketChannel opened = open();
        try {
            ByteBuffer out = ByteBuffer.wrap(request);
            while (out.hasRemaining()) {
                opened.write(out);
            }
            ByteBuffer length = readFully(opened, ByteBuffer.allocate(Integer.BYTES));
            int size = length.flip().getInt();
            if (size <= 0 || size > MAX_REPLY_BYTES) {
                throw new IOException("the agent's reply has an impossible length: " + size);
            }
            return readFully(opened, ByteBuffer.allocate(size)).array();
        } catch (IOException e) {
            recordFailure(String.valueOf(e.getMessage()));
            throw e;
        } finally {
            lock.lock();
            try {
                if (channel == opened) {
                    release();
                }
            } finally {
                lock.unlock();
            }
            opened.close();
        }
    }

    private static ByteBuffer readFully(SocketChannel from, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (from.read(into) < 0) {
                throw new EOFException("the agent closed the connection");
            }
        }
        return into;
    }

    /** Records how many keys the agent listed. */
    public void listed(int keys) {
        keysListed = keys;
    }

    /** Records a failure (the first one is kept). */
    public void recordFailure(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    /** Whether the agent left a request unanswered for the whole limit. */
    public boolean timedOut() {
        return timedOut;
    }

    /** Whether a request to the agent failed. */
    public boolean failed() {
        return failure != null;
    }

    /**
     * What the agent did, for the message of a login that failed; empty if it was never asked.
     */
    public Optional<String> outcome() {
        String name = "ssh-agent " + socket;
        if (failure != null) {
            return Optional.of(name + ": " + failure);
        }
        return switch (keysListed) {
            case -1 -> Optional.empty();
            case 0 -> Optional.of(name + " offered no keys (it is empty or locked)");
            case 1 -> Optional.of(name + " offered 1 key, not accepted");
            default -> Optional.of(name + " offered " + keysListed + " keys, none accepted");
        };
    }

    private void expire(SocketChannel opened) {
        lock.lock();
        try {
            if (channel == opened) {
                timedOut = true;
                recordFailure("no answer within " + limit.toMillis() + " ms");
                release();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Closes the current channel and stops its timer; called under the lock. */
    private void release() {
        if (closer != null) {
            closer.cancel(false);
            closer = null;
        }
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // Closing a Unix-domain socket channel has nothing to flush; nothing is lost.
            }
            channel = null;
        }
    }

    /** Ends the link: an open connection is closed, no further one is made. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            release();
        } finally {
            lock.unlock();
        }
    }
}
