package dev.fanout.fleet;

import dev.fanout.Secret;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link SimulatedFleet} simulates. Immutable; change it with the {@code with...} methods.
 *
 * @param hosts how many hosts, 1..65,000
 * @param user the login user every host accepts
 * @param password the password every host accepts (password and keyboard-interactive)
 * @param connectLatency delay before a host sends its SSH banner
 * @param authLatency delay before a host answers an authentication attempt
 * @param commandLatency delay before a command's result, besides any simulated {@code sleep}
 * @param keyboardInteractiveFraction the share of hosts, 0..1, that offer keyboard-interactive only (as PAM
 *     set-ups do), chosen by the seed
 * @param maxStartups handshakes in flight beyond which new connections are dropped before the banner, as
 *     OpenSSH's {@code MaxStartups} does; 0 for no limit
 * @param faults the faults and their hosts
 * @param seed chooses which hosts get a fraction-based fault or keyboard-interactive only
 * @param bastion whether the hosts are reachable only through the fleet's bastion host ({@link
 *     SimulatedFleet#bastion()}): they accept connections from its address alone, as hosts behind a firewall
 * @param firstHost the index of the first host: a fleet serves hosts {@code firstHost .. firstHost + hosts - 1},
 *     with the addresses, names and faults they have in one fleet of {@code firstHost + hosts} hosts, so that
 *     two processes can share a fleet too big for one process's open-file limit
 */
public record FleetConfig(int hosts, String user, Secret password, Latency connectLatency, Latency authLatency,
        Latency commandLatency, double keyboardInteractiveFraction, int maxStartups, List<Fault> faults,
        long seed, boolean bastion, int firstHost) {

    /** The most hosts a fleet binds: 254 addresses in each of 256 /24 blocks under 127.101.0.0/16. */
    public static final int MAX_HOSTS = 254 * 256;

    /** Validates every field, naming the bad one. */
    public FleetConfig {
        if (hosts < 1 || hosts > MAX_HOSTS) {
            throw new IllegalArgumentException("hosts must be within 1.." + MAX_HOSTS + ": " + hosts);
        }
        if (firstHost < 0 || firstHost > MAX_HOSTS - hosts) {
            throw new IllegalArgumentException("the first host must be within 0.." + (MAX_HOSTS - hosts) + " for "
                    + hosts + " hosts: " + firstHost);
        }
        Objects.requireNonNull(user, "user");
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(connectLatency, "connectLatency");
        Objects.requireNonNull(authLatency, "authLatency");
        Objects.requireNonNull(commandLatency, "commandLatency");
        if (!(keyboardInteractiveFraction >= 0 && keyboardInteractiveFraction <= 1)) {
            throw new IllegalArgumentException("keyboard-interactive fraction must be within 0..1: "
                    + keyboardInteractiveFraction);
        }
        if (maxStartups < 0) {
            throw new IllegalArgumentException("max-startups must not be negative: " + maxStartups);
        }
        faults = List.copyOf(faults);
    }

    /** A fleet of {@code hosts} hosts for {@code user}/{@code password}, no latency, no faults. */
    public static FleetConfig of(int hosts, String user, Secret password) {
        return new FleetConfig(hosts, user, password, Latency.NONE, Latency.NONE, Latency.NONE, 0, 0, List.of(),
                1, false, 0);
    }

    /** The same latency for connect, auth and each command. */
    public FleetConfig withLatency(Latency latency) {
        return new FleetConfig(hosts, user, password, latency, latency, latency, keyboardInteractiveFraction,
                maxStartups, faults, seed, bastion, firstHost);
    }

    /** Separate latencies per phase. */
    public FleetConfig withLatencies(Latency connect, Latency auth, Latency command) {
        return new FleetConfig(hosts, user, password, connect, auth, command, keyboardInteractiveFraction,
                maxStartups, faults, seed, bastion, firstHost);
    }

    /** Another host count. */
    public FleetConfig withHosts(int count) {
        return new FleetConfig(count, user, password, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, maxStartups, faults, seed, bastion, firstHost);
    }

    /** Another share of keyboard-interactive-only hosts. */
    public FleetConfig withKeyboardInteractiveFraction(double fraction) {
        return new FleetConfig(hosts, user, password, connectLatency, authLatency, commandLatency, fraction,
                maxStartups, faults, seed, bastion, firstHost);
    }

    /** A MaxStartups-like limit on handshakes in flight (0: none). */
    public FleetConfig withMaxStartups(int limit) {
        return new FleetConfig(hosts, user, password, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, limit, faults, seed, bastion, firstHost);
    }

    /** These faults instead of the current ones. */
    public FleetConfig withFaults(List<Fault> list) {
        return new FleetConfig(hosts, user, password, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, maxStartups, list, seed, bastion, firstHost);
    }

    /** Another seed. */
    public FleetConfig withSeed(long value) {
        return new FleetConfig(hosts, user, password, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, maxStartups, faults, value, bastion, firstHost);
    }

    /** Another user and password. */
    public FleetConfig withLogin(String name, Secret secret) {
        return new FleetConfig(hosts, name, secret, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, maxStartups, faults, seed, bastion, firstHost);
    }

    /** Serves hosts {@code index .. index + hosts - 1} of a bigger fleet (0: from the first). */
    public FleetConfig withFirstHost(int index) {
        return new FleetConfig(hosts, user, password, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, maxStartups, faults, seed, bastion, index);
    }

    /** Hosts reachable only through the fleet's bastion ({@code true}), or directly. */
    public FleetConfig withBastion(boolean value) {
        return new FleetConfig(hosts, user, password, connectLatency, authLatency, commandLatency,
                keyboardInteractiveFraction, maxStartups, faults, seed, value, firstHost);
    }
}
