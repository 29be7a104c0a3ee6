package dev.fanout.fleet;

import java.util.Locale;

/** The faults a simulated host can show, each like a real failure a fan-out meets. */
public enum FaultType {
    /** Nothing listens on the host's address: connection refused. */
    REFUSE,
    /** Accepts the TCP connection but never sends an SSH banner. */
    BLACKHOLE,
    /** Rejects every credential. */
    REJECT_CREDENTIALS,
    /** Presents a host key other than the one published in the fleet's known_hosts. */
    HOST_KEY_CHANGED,
    /** Drops the connection while a command runs. */
    DROP_MID_COMMAND,
    /** Never finishes a command. */
    HANG,
    /** Every command prints {@code bytes} of output (e.g. 1 GiB). */
    HUGE_OUTPUT,
    /** Every command's output starts with bytes that are not valid UTF-8. */
    INVALID_UTF8,
    /** The disk has only {@code bytes} free (default 0): writes beyond fail, as on a full disk. */
    DISK_FULL;

    /** The name in scenario files and on the command line: {@code host-key-changed}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The fault named by a label.
     *
     * @throws IllegalArgumentException listing the known labels
     */
    public static FaultType fromLabel(String label) {
        for (FaultType type : values()) {
            if (type.label().equals(label)) {
                return type;
            }
        }
        StringBuilder known = new StringBuilder();
        for (FaultType type : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(type.label());
        }
        throw new IllegalArgumentException("unknown fault '" + label + "'; known: " + known);
    }
}
