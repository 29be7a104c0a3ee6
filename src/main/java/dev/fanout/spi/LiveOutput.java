package dev.fanout.spi;

import dev.fanout.StdStream;

/**
 * Where a driver hands a command's output as it arrives, for the run's listener
 * ({@link dev.fanout.RunListener#outputReceived}). The bytes are delivered on another thread, in the order handed
 * over; the driver still keeps the output for the result as it would without this.
 *
 * <p>A slow listener must slow down the reading of its host's output, never grow memory, never block other hosts:
 * a driver whose library has SSH flow control and shared I/O threads (MINA) uses {@link #offer}, which never blocks,
 * and gives the channel's window back only as the listener takes the bytes; a driver whose reading thread serves
 * one session (JSch) uses {@link #put}, which blocks that thread while the host's undelivered output is at the
 * bound. Either way a host holds about {@value #BUFFER_BYTES} bytes not yet delivered. Thread-safe.
 */
public interface LiveOutput {

    /**
     * The bound on a host's output not yet delivered, in bytes: {@link #put} waits at it, and a driver that uses
     * {@link #offer} opens live channels with a window of this size.
     */
    int BUFFER_BYTES = 256 * 1024;

    /** Nobody listens: the request of a command whose output only its result needs. */
    static LiveOutput none() {
        return NoLiveOutput.INSTANCE;
    }

    /** False for {@link #none()}: the driver then reads output as it would without live output. */
    boolean enabled();

    /**
     * Hands over bytes just received, without blocking: for drivers with flow control, called on their I/O
     * threads. {@code consumed} runs once the listener has had the bytes (on the delivering thread), or at once when
     * nobody wants them any more; the driver then gives them back to the channel's window.
     *
     * @param stream which stream they came on
     * @param bytes the bytes, handed over (the driver must not change them afterwards)
     * @param consumed what to do when they are delivered; must not block
     */
    void offer(StdStream stream, byte[] bytes, Runnable consumed);

    /**
     * Hands over bytes just received, first waiting while the host's undelivered output is at
     * {@link #BUFFER_BYTES}: for drivers whose reading thread serves this host alone, which then holds the server
     * back. Returns at once, dropping the bytes, when the host is over; an interrupt ends the wait (the bytes are
     * still delivered) and is kept in the thread's flag.
     *
     * @param stream which stream they came on
     * @param bytes the bytes, handed over (the driver must not change them afterwards)
     */
    void put(StdStream stream, byte[] bytes);
}
