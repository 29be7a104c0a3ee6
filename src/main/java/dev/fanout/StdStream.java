package dev.fanout;

/** The output stream of a command that some bytes came from. */
public enum StdStream {
    /** Standard output. */
    STDOUT,
    /** Standard error. */
    STDERR
}
