package dev.fanout.internal.driver;

import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshDriverProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds drivers by name among the {@link SshDriverProvider}s on the class path. */
public final class SshDrivers {

    private SshDrivers() {
    }

    /**
     * Creates the named driver.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static SshDriver create(String name) {
        List<String> known = new ArrayList<>();
        for (SshDriverProvider provider : ServiceLoader.load(SshDriverProvider.class)) {
            if (provider.name().equals(name)) {
                return provider.create();
            }
            known.add(provider.name());
        }
        throw new IllegalArgumentException("unknown driver '" + name + "'; available: " + String.join(", ", known));
    }

    /**
     * Prepares the named driver's first creation ({@link SshDriverProvider#prepare()}), on the calling thread;
     * nothing for an unknown name, which {@link #create} reports.
     */
    public static void prepare(String name) {
        for (SshDriverProvider provider : ServiceLoader.load(SshDriverProvider.class)) {
            if (provider.name().equalsIgnoreCase(name)) {
                provider.prepare();
                return;
            }
        }
    }

    /** The names of the drivers available. */
    public static List<String> names() {
        return ServiceLoader.load(SshDriverProvider.class).stream().map(p -> p.get().name()).sorted().toList();
    }
}
