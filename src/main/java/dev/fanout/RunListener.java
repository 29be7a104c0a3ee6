package dev.fanout;

/**
 * Hears about a run as it goes: for progress bars, streaming results to a file, metrics. Every method has a no-op
 * default. Calls come from the run's worker threads (in ASYNC mode, a few threads of fanout's own, never the SSH
 * library's I/O threads), possibly at once, so implementations must be thread-safe and quick. A listener that
 * throws, an {@link Error} included, is logged and ignored: it cannot break a run over 5,000 hosts.
 */
public interface RunListener {

    /** The run is starting with this many distinct hosts. */
    default void runStarted(int hosts) {
    }

    /** A host's result is final; called once per host, the moment it completes. */
    default void hostFinished(HostResult result) {
    }

    /**
     * A transfer step moved more bytes: called every MiB or so and once at its end, from the host's thread.
     *
     * @param host the host
     * @param step the upload or download
     * @param bytesDone the bytes moved so far
     * @param bytesTotal the file's size
     */
    default void transferProgress(Host host, Step step, long bytesDone, long bytesTotal) {
    }

    /** Every host has its result. */
    default void runFinished(RunReport report) {
    }
}
