package dev.fanout.spi;

/**
 * Makes drivers of one kind; found with {@link java.util.ServiceLoader}, so the API names drivers without
 * importing them. Implementations need a public no-argument constructor.
 */
public interface SshDriverProvider {

    /** The name users pick the driver by. */
    String name();

    /** A new driver instance, ready to connect. */
    SshDriver create();

    /**
     * Does the one-time work of the first {@link #create()} ahead of it (loading and initialising the SSH library,
     * registering its security providers), so that a caller can overlap it with work of its own on another thread.
     * Optional: {@code create()} works without it, and waits for a preparation under way. Failures are left to
     * {@code create()} to report. The default does nothing.
     */
    default void prepare() {
    }
}
