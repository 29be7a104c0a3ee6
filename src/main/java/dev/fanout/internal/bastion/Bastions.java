package dev.fanout.internal.bastion;

import dev.fanout.BastionSettings;
import dev.fanout.Host;
import dev.fanout.internal.route.Routes;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshSession;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The bastions of one client: for each host, the chain of bastions it is reached through (its own, the first one's
 * own before them, and so on, as {@code ssh -J} does), and one {@link Bastion} per chain, shared by every host
 * behind it. Thread-safe.
 */
public final class Bastions implements AutoCloseable {

    /** The most bastions one host may be reached through, counting the bastions' own: a loop ends here. */
    static final int MAX_CHAIN = 8;

    private final SshDriver driver;
    private final Routes routes;
    private final BastionSettings settings;
    private final Map<Host, List<Host>> chains = new ConcurrentHashMap<>();
    private final Map<List<Host>, Bastion> bastions = new ConcurrentHashMap<>();

    /**
     * @param driver opens the bastions' sessions
     * @param routes each host's request and bastions
     * @param settings the limits of each bastion
     */
    public Bastions(SshDriver driver, Routes routes, BastionSettings settings) {
        this.driver = driver;
        this.routes = routes;
        this.settings = settings;
    }

    /**
     * Works out the chain of each host before any is contacted.
     *
     * @throws IllegalArgumentException for bastions that loop or a chain longer than {@value #MAX_CHAIN}, naming
     *     the host and the chain
     */
    public void prepare(List<Host> hosts) {
        hosts.forEach(this::chain);
    }

    /** The bastion a host is reached through (the last of its chain), or empty for a host reached directly. */
    Optional<Bastion> forHost(Host host) {
        List<Host> chain = chain(host);
        return chain.isEmpty() ? Optional.empty() : Optional.of(bastion(chain));
    }

    /** The hosts a host is reached through, in the order they are visited. */
    List<Host> chain(Host host) {
        List<Host> known = chains.get(host);
        if (known != null) {
            return known;
        }
        List<Host> chain = List.copyOf(chain(host, false, new LinkedHashSet<>()));
        chains.putIfAbsent(host, chain);
        return chain;
    }

    private List<Host> chain(Host host, boolean asBastion, Set<Host> visiting) {
        List<Host> hops = routes.jumpHosts(host, asBastion);
        if (hops.isEmpty()) {
            return List.of();
        }
        if (!visiting.add(host)) {
            throw new IllegalArgumentException(host + ": its bastions loop: " + visiting.stream()
                    .map(Host::toString).collect(Collectors.joining(" -> ")) + " -> " + host);
        }
        List<Host> chain = new ArrayList<>(chain(hops.get(0), true, visiting));
        chain.addAll(hops);
        if (chain.size() > MAX_CHAIN || chain.contains(host)) {
            throw new IllegalArgumentException(host + ": reached through " + (chain.contains(host) ? "itself"
                    : "more than " + MAX_CHAIN + " bastions") + ": " + chain.stream().map(Host::toString)
                            .collect(Collectors.joining(" -> ")));
        }
        return chain;
    }

    private Bastion bastion(List<Host> chain) {
        Bastion known = bastions.get(chain);
        if (known != null) {
            return known;
        }
        Optional<Bastion> upstream = chain.size() == 1 ? Optional.empty()
                : Optional.of(bastion(chain.subList(0, chain.size() - 1)));
        Host host = chain.get(chain.size() - 1);
        return bastions.computeIfAbsent(List.copyOf(chain), key -> new Bastion(host, upstream, settings,
                through -> open(host, through)));
    }

    /** One session to a bastion, directly or through a place upstream. */
    private SshSession open(Host bastion, Optional<Bastion.Place> through) {
        ConnectRequest request = routes.request(bastion, Cancellation.none());
        return through.isPresent() ? driver.connect(request, through.get().session()) : driver.connect(request);
    }

    /** Closes every bastion session, last bastions of chains first. */
    @Override
    public void close() {
        bastions.entrySet().stream().sorted((a, b) -> Integer.compare(b.getKey().size(), a.getKey().size()))
                .forEach(entry -> entry.getValue().close());
    }
}
