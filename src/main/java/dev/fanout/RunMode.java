package dev.fanout;

/** How a run spreads its hosts over threads. Every mode gives the same results for the same hosts. */
public enum RunMode {
    /** One host after another, on one thread. */
    SERIAL,
    /**
     * A fixed pool of platform threads ({@link RunOptions#threads()}, 50 by default, as in the reference benchmark).
     */
    PLATFORM,
    /** One virtual thread per host (the default). */
    VIRTUAL,
    /** No thread per host: connect, auth, commands and close chained on the driver's futures (MINA only). */
    ASYNC
}
