package dev.fanout.internal.route;

import dev.fanout.Host;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bastions given explicitly, which win over an OpenSSH client config's {@code ProxyJump}: a host's own (an
 * inventory's {@code via}, {@code Builder.hostJumpHosts}), else those of every host ({@code -J},
 * {@code Builder.jumpHosts}). An empty list means directly.
 *
 * @param perHost each host's own bastions
 * @param everyHost the bastions of hosts that have none of their own, if given
 */
public record ExplicitJumps(Map<Host, List<Host>> perHost, Optional<List<Host>> everyHost) {

    /** Nothing given: the config, if any, decides. */
    public static final ExplicitJumps NONE = new ExplicitJumps(Map.of(), Optional.empty());

    /** Copies everything. */
    public ExplicitJumps {
        perHost = Map.copyOf(perHost);
        everyHost = everyHost.map(List::copyOf);
    }

    /** The bastions given for this host of a run, if any were (an empty list: directly): its own, else everyone's. */
    public Optional<List<Host>> of(Host host) {
        List<Host> own = perHost.get(host);
        return own != null ? Optional.of(own) : everyHost;
    }

    /**
     * The bastions given for this host as a bastion (another host's jump host), if any were: its own only, as
     * {@code ssh -J} applies to the destination, not to its jump hosts.
     */
    public Optional<List<Host>> ofBastion(Host host) {
        return Optional.ofNullable(perHost.get(host));
    }

    /** Whether any host has a bastion given. */
    public boolean any() {
        return everyHost.filter(hops -> !hops.isEmpty()).isPresent()
                || perHost.values().stream().anyMatch(hops -> !hops.isEmpty());
    }
}
