package dev.fanout.internal;

import com.sun.management.UnixOperatingSystemMXBean;
import dev.fanout.RunOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Optional;

/**
 * The process's open-file limit ({@code ulimit -n}, which the JVM raises to the hard limit at start) and the files
 * it has open: each SSH connection is one open file, on the client and on the simulated fleet alike.
 *
 * @param limit the most files the process may have open at once
 * @param open the files open now (the JVM's jars, sockets, logs)
 */
public record OpenFiles(long limit, long open) {

    /** Where to raise the limit, for messages. */
    public static final String HOW_TO_RAISE = "raise it with ulimit -n (up to the hard limit, ulimit -Hn; the hard "
            + "limit in /etc/security/limits.conf or systemd's LimitNOFILE=)";

    /** Connections at once below which the limit is not read: every system allows more (and reading costs). */
    private static final int FEW_CONNECTIONS = 200;
    /** Open files kept free for what a run opens besides connections: known_hosts, results, keys, agent sockets. */
    private static final int KEPT_FREE = 64;

    /**
     * The hosts a run of {@code hosts} hosts works on at once with {@code options}, before the open-file limit: one
     * in SERIAL mode, the pool's threads in PLATFORM mode, {@code maxInFlight} (0: all) otherwise.
     */
    public static int wantedAtOnce(RunOptions options, int hosts) {
        return switch (options.mode()) {
            case SERIAL -> Math.min(hosts, 1);
            case PLATFORM -> Math.min(hosts, options.threads());
            case VIRTUAL, ASYNC -> options.maxInFlight() == 0 ? hosts : Math.min(hosts, options.maxInFlight());
        };
    }

    /**
     * The most hosts a run may work on at once, one connection (one open file) each: {@code wanted}, or fewer, as
     * many as the process has files to spare now, keeping a few free; at least one. Past the limit a connection
     * fails with "Too many open files", and so does anything else that opens a file then, loading a class included.
     */
    public static int hostsAtOnce(int wanted) {
        if (wanted <= FEW_CONNECTIONS) {
            return wanted;
        }
        return now().map(files -> (int) Math.max(1, Math.min(wanted, files.spare() - KEPT_FREE))).orElse(wanted);
    }

    /** The limit and the open files now, or empty where the JVM cannot tell (not a Unix system). */
    public static Optional<OpenFiles> now() {
        OperatingSystemMXBean system = ManagementFactory.getOperatingSystemMXBean();
        if (system instanceof UnixOperatingSystemMXBean unix && unix.getMaxFileDescriptorCount() > 0) {
            return Optional.of(new OpenFiles(unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount()));
        }
        return Optional.empty();
    }

    /**
     * What to say of a failure whose cause is the open-file limit ({@code EMFILE}, "Too many open files"): the
     * limit, and what to do; empty for any other failure.
     */
    public static Optional<String> exhausted(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (String.valueOf(t.getMessage()).contains("Too many open files")) {
                String limit = now().map(files -> " (" + files.limit() + ")").orElse("");
                return Optional.of("this process cannot open another socket: it has reached its open-file limit"
                        + limit + "; run fewer hosts at once (--max-in-flight, RunOptions.maxInFlight), or "
                        + HOW_TO_RAISE);
            }
        }
        return Optional.empty();
    }

    /** Files the process may still open. */
    public long spare() {
        return Math.max(0, limit - open);
    }
}
