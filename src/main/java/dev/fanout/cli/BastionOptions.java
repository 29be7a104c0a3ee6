package dev.fanout.cli;

import dev.fanout.BastionSettings;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.SshConfig;
import dev.fanout.internal.inventory.JumpSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The bastion options of {@code run}, {@code copy} and {@code fetch}: {@code -J} (ssh's), which with the
 * inventories' {@code via} and the ssh config's {@code ProxyJump} says which bastions hosts are reached through, and
 * how much each bastion carries.
 */
final class BastionOptions {

    @Option(names = {"-J", "--jump"}, paramLabel = "BASTIONS", description = "Reach hosts through these bastions, as "
            + "ssh -J: [user@]host[:port], several separated by ',' (visited in order), none for directly. Wins over "
            + "the ssh config's ProxyJump; an inventory's via wins over it.")
    private String jump;

    @Option(names = "--bastion-sessions", paramLabel = "N", defaultValue = "4",
            description = "Sessions (logins) per bastion at most (default 4).")
    private int sessions;

    @Option(names = "--bastion-channels", paramLabel = "N", defaultValue = "256",
            description = "Hosts one bastion session carries at once (default 256).")
    private int channels;

    @Option(names = "--bastion-handshakes", paramLabel = "N", defaultValue = "256",
            description = "Hosts setting up their connection through one bastion at once (default 256).")
    private int handshakes;

    /**
     * Sets the client's bastions: {@code -J} for every host, the inventories' {@code via} for theirs, each bastion
     * read as ssh reads {@code -J} (its user and port, else the config's, else the current user and 22).
     *
     * @param via the bastions inventories give their hosts
     * @throws IllegalArgumentException for a malformed bastion, naming the option or the inventory key, or a bad
     *     limit
     */
    void configure(Fanout.Builder builder, Map<Host, JumpSpec> via, Optional<SshConfig> config) {
        builder.bastions(settings());
        if (jump != null) {
            builder.jumpHosts(hops(jump, "-J '" + jump + "'", config));
        }
        Map<JumpSpec, List<Host>> read = new HashMap<>();
        Map<Host, List<Host>> perHost = new HashMap<>();
        via.forEach((host, spec) -> perHost.put(host, read.computeIfAbsent(spec,
                given -> hops(given.text(), given.where(), config))));
        builder.hostJumpHosts(perHost);
    }

    private BastionSettings settings() {
        try {
            return new BastionSettings(sessions, channels, handshakes);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bastion-sessions, --bastion-channels and --bastion-handshakes "
                    + "must be at least 1", e);
        }
    }

    /** The bastions of a {@code -J} or {@code via} value, in order; none for {@code none}. */
    private static List<Host> hops(String text, String where, Optional<SshConfig> config) {
        if (text.strip().toLowerCase(Locale.ROOT).equals("none")) {
            return List.of();
        }
        String currentUser = System.getProperty("user.name");
        List<Host> hops = new ArrayList<>();
        for (String hop : text.split(",", -1)) {
            String spec = hop.strip();
            if (spec.startsWith("ssh://")) {
                spec = spec.substring("ssh://".length());
            }
            if (spec.isEmpty()) {
                throw new IllegalArgumentException(where + ": an empty bastion (give [user@]host[:port], several "
                        + "separated by ',')");
            }
            try {
                String given = spec;
                hops.add(config.map(found -> found.host(given, currentUser))
                        .orElseGet(() -> Host.parse(given, currentUser)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(hops);
    }
}
