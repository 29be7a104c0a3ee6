package dev.fanout;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How server host keys are checked. The default, {@link #strict()}, is OpenSSH's
 * {@code StrictHostKeyChecking=yes} against {@code ~/.ssh/known_hosts}.
 *
 * <p>Entries use OpenSSH's known_hosts format: hosts off port 22 are written {@code [host]:port}; hashed names
 * ({@code |1|...}), wildcards, negation and the {@code @revoked} marker are understood.
 *
 * @param mode what to do with unknown keys
 * @param knownHosts the known_hosts file ({@code null} only for {@link Mode#ACCEPT_ALL})
 */
public record HostKeyPolicy(Mode mode, Path knownHosts) {

    /** What to do with a host key that is not in the known_hosts file. */
    public enum Mode {
        /** Refuse unknown and changed keys ({@code HostKeyUnknownException}, {@code HostKeyChangedException}). */
        STRICT,
        /** Trust on first use: append unknown keys to the file; refuse changed keys. */
        ACCEPT_NEW,
        /** Accept every key unchecked. Opt-in only; a warning is logged once per {@link Fanout}. */
        ACCEPT_ALL
    }

    /** Rejects a missing file for the modes that need one. */
    public HostKeyPolicy {
        Objects.requireNonNull(mode, "mode");
        if (mode != Mode.ACCEPT_ALL) {
            Objects.requireNonNull(knownHosts, "knownHosts");
        }
    }

    /** STRICT against {@code ~/.ssh/known_hosts}. */
    public static HostKeyPolicy strict() {
        return strict(defaultKnownHosts());
    }

    /** STRICT against the given file. */
    public static HostKeyPolicy strict(Path knownHosts) {
        return new HostKeyPolicy(Mode.STRICT, knownHosts);
    }

    /** ACCEPT_NEW (trust on first use) with the given file, created if missing. */
    public static HostKeyPolicy acceptNew(Path knownHosts) {
        return new HostKeyPolicy(Mode.ACCEPT_NEW, knownHosts);
    }

    /** ACCEPT_ALL: no host key is checked. Only for throwaway hosts; never the default. */
    public static HostKeyPolicy acceptAll() {
        return new HostKeyPolicy(Mode.ACCEPT_ALL, null);
    }

    /** {@code ~/.ssh/known_hosts}. */
    public static Path defaultKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }
}
