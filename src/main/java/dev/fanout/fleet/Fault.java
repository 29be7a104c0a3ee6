package dev.fanout.fleet;

import java.util.Objects;
import java.util.Set;

/**
 * A fault and the hosts that show it: those listed by index, plus a fraction of all hosts chosen by the
 * fleet's seed (the same hosts for the same seed).
 *
 * @param type the fault
 * @param hosts host indexes (0-based) that always show it
 * @param fraction the share of hosts, 0..1, that show it besides those listed
 * @param bytes the output size of {@link FaultType#HUGE_OUTPUT}, the free disk space of {@link FaultType#DISK_FULL};
 *     ignored by the other faults
 */
public record Fault(FaultType type, Set<Integer> hosts, double fraction, long bytes) {

    /** Validates the fraction and size; copies the host set. */
    public Fault {
        Objects.requireNonNull(type, "type");
        hosts = Set.copyOf(hosts);
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction of fault " + type.label() + " must be within 0..1: "
                    + fraction);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes of fault " + type.label() + " must not be negative: " + bytes);
        }
        if (hosts.stream().anyMatch(index -> index < 0)) {
            throw new IllegalArgumentException("host indexes of fault " + type.label() + " must not be negative");
        }
    }

    /** The fault on the listed hosts. */
    public static Fault on(FaultType type, Integer... hosts) {
        return new Fault(type, Set.of(hosts), 0, 0);
    }

    /** The fault on a fraction of the hosts. */
    public static Fault onFraction(FaultType type, double fraction) {
        return new Fault(type, Set.of(), fraction, 0);
    }

    /** This fault with a size (the output of {@link FaultType#HUGE_OUTPUT}, the free space of DISK_FULL). */
    public Fault withBytes(long size) {
        return new Fault(type, hosts, fraction, size);
    }
}
