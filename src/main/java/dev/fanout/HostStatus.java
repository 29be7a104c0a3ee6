package dev.fanout;

/** How a host's part of a run ended. */
public enum HostStatus {
    /** Connected and every command exited 0. */
    OK,
    /** A command exited non-zero, or connecting or running failed (see {@link HostResult#error()}). */
    FAILED,
    /**
     * A connect or command timeout, a wait for a busy host's pooled session that ran out, or the host or run deadline
     * passed.
     */
    TIMED_OUT,
    /** Stopped while running: the run (or the host) was cancelled or interrupted, or stopped by fail-fast. */
    CANCELLED,
    /** Never started: the run stopped (fail-fast, deadline, cancel, interrupt) or the host was cancelled first. */
    SKIPPED;

    /** The lower-case name used in reports and JSON. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
