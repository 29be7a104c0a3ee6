package dev.fanout;

/**
 * Hears about a run as it goes, in the manner of OkHttp's {@code EventListener}: for live logs, progress bars,
 * streaming results to a file, metrics. Every method has a no-op default.
 *
 * <p><b>Order and threads.</b> The calls about one host come one at a time and in order: {@link #hostStarted}, then
 * for each step {@link #stepStarted}, its {@link #outputReceived} or {@link #transferProgress} calls and
 * {@link #stepFinished}, and last {@link #hostFinished}. They come from threads of fanout's own (virtual threads
 * of the run), never from an SSH library's I/O thread nor from a host's own thread, so calls about different hosts
 * may come at once: implementations must be thread-safe. {@link #runStarted} comes before any call about a host,
 * {@link #runFinished} after every one.
 *
 * <p><b>Back-pressure.</b> A slow listener holds back only the host it is slow for: fanout keeps at most
 * {@value dev.fanout.spi.LiveOutput#BUFFER_BYTES} bytes of a host's output not yet handed to the listener, then
 * stops reading that host's output (the SSH window, or TCP for JSch) until the listener catches up; memory stays
 * bounded and the other hosts go on. Time a host waits so counts against its command's timeout. The calls that are
 * not output are never held back.
 *
 * <p>A listener that throws, an {@link Error} included, is logged and ignored: it cannot break a run over 5,000
 * hosts.
 */
public interface RunListener {

    /** The run is starting with this many distinct hosts. */
    default void runStarted(int hosts) {
    }

    /**
     * A host's turn has come: it is about to connect (or take a pooled session). A host skipped before its turn is
     * told only {@link #hostFinished}.
     */
    default void hostStarted(Host host) {
    }

    /** A step of the task is starting on the host's session. */
    default void stepStarted(Host host, Step step) {
    }

    /**
     * A command step printed these bytes, as they arrived from the host: for each stream in the order written, with
     * no limit (the result keeps at most the output limit of each stream; this sees all of it). Chunks follow the
     * SSH packets, not lines: a line or a UTF-8 character may be split between two calls.
     *
     * <p>Output is streamed only to a listener that overrides this method; without one, commands' output is read as
     * it comes, with no copy and no back-pressure.
     *
     * @param host the host
     * @param step the command step
     * @param stream standard output or standard error
     * @param bytes the bytes, the listener's to keep
     */
    default void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
    }

    /**
     * A transfer step moved more bytes: every MiB or so and once at its end. When the listener is behind, only the
     * latest of these calls still waiting is made.
     *
     * @param host the host
     * @param step the upload or download
     * @param bytesDone the bytes moved so far
     * @param bytesTotal the file's size
     */
    default void transferProgress(Host host, Step step, long bytesDone, long bytesTotal) {
    }

    /**
     * A step ended with a result: a command's exit (or, when it timed out, the output seen until then) or a
     * transfer's. A step that ends without one (a lost session, a failed transfer, a cancellation) is followed
     * directly by {@link #hostFinished}, whose result says why.
     */
    default void stepFinished(Host host, StepResult result) {
    }

    /** A host's result is final; called once per host, after every other call about it. */
    default void hostFinished(HostResult result) {
    }

    /** Every host has its result and every call about a host has been made. */
    default void runFinished(RunReport report) {
    }
}
