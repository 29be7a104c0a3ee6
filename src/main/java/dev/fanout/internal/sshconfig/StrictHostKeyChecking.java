package dev.fanout.internal.sshconfig;

/** The values of {@code StrictHostKeyChecking}. */
public enum StrictHostKeyChecking {
    /** {@code yes}: refuse unknown and changed keys. */
    YES,
    /** {@code accept-new}: record unknown keys, refuse changed ones. */
    ACCEPT_NEW,
    /** {@code no} or {@code off}: ssh records unknown keys and lets changed ones through. */
    NO,
    /** {@code ask} (ssh's default): ssh asks about unknown keys; without a person to ask, that is {@code yes}. */
    ASK
}
