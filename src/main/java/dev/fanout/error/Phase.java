package dev.fanout.error;

/** Where in the life of a host's SSH session a failure happened. */
public enum Phase {
    /** Getting a connection: a session from the pool, name resolution and TCP connect. */
    CONNECT,
    /** Version exchange and key exchange. */
    KEY_EXCHANGE,
    /** Checking the server's host key against known_hosts. */
    HOST_KEY,
    /** User authentication. */
    AUTH,
    /** Opening a channel on an established session. */
    CHANNEL,
    /** Running a command. */
    EXEC,
    /** Copying a file. */
    TRANSFER;

    /** The lower-case name used in messages and JSON, e.g. {@code key_exchange}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
