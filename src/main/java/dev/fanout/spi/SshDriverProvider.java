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
}
