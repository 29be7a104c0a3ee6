package dev.fanout.internal.route;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Timeouts;
import dev.fanout.internal.agent.AgentSockets;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.sshconfig.ConfigSource;
import dev.fanout.internal.sshconfig.HostConfig;
import dev.fanout.internal.sshconfig.HostConfig.Setting;
import dev.fanout.internal.sshconfig.HostSettings;
import dev.fanout.internal.sshconfig.JumpHost;
import dev.fanout.internal.sshconfig.SshConfigFile;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerifier;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts reached as an OpenSSH client config says, each worked out once per distinct host, before a run contacts
 * any (so the cost does not grow with connections, and a config error is a usage error, not 5,000 failures).
 *
 * <p>What comes from where, as ssh decides (what is given explicitly wins over the config):
 * <ul>
 * <li>where to connect: the config's {@code HostName} for the host's address, else the address; the host's own
 * user and port always (to take them from the config, build the host with {@code SshConfig.host});
 * <li>keys: the credentials' own, then the config's {@code IdentityFile}s (those that exist and decode without a
 * passphrase; others are skipped with a warning), right after the credentials' last private key, or first when
 * there is none;
 * <li>agents: {@code AuthMethod.agent()} is the config's {@code IdentityAgent} (dropped for {@code none} and under
 * {@code IdentitiesOnly yes}), else {@code SSH_AUTH_SOCK}; an agent named explicitly is never changed;
 * <li>host keys: a host-key policy other than the default ({@code strict(~/.ssh/known_hosts)}) applies to every
 * host; at the default, each host's {@code UserKnownHostsFile} and {@code StrictHostKeyChecking} apply
 * ({@code ask} is strict, {@code no} checks nothing), its key checked under {@code HostKeyAlias}, else its
 * {@code HostName} (and port);
 * <li>connect timeout: one other than the default (10 s) applies to every host; at the default, {@code
 * ConnectTimeout}.
 * </ul>
 * {@code ProxyJump} is read and kept on the route, not followed yet: such hosts are connected to directly, with a
 * warning per config line. Thread-safe: resolution takes a lock, requests read without one.
 */
public final class ConfiguredRoutes implements Routes {

    private static final Logger LOG = LoggerFactory.getLogger(ConfiguredRoutes.class);

    private final SshConfigFile config;
    private final Function<Host, Optional<Credentials>> credentials;
    private final HostKeyPolicy policy;
    private final boolean policyFromConfig;
    private final HostKeyVerifier verifier;
    private final Timeouts timeouts;
    private final boolean connectTimeoutFromConfig;
    private final Consumer<Credentials> prepare;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Host, Route> routes = new ConcurrentHashMap<>();
    /** Guarded by {@link #lock}, as is everything below. */
    private final Map<List<AuthMethod>, Credentials> sameCredentials = new HashMap<>();
    private final Map<Path, Optional<AuthMethod.PublicKey>> configKeys = new HashMap<>();
    private final Map<String, HostKeyVerifier> verifiers = new HashMap<>();
    private final Set<Path> checkedSockets = new HashSet<>();
    private final Set<ConfigSource> warned = new HashSet<>();

    /**
     * One host's way in: the request of every connection to it, but for the cancellation.
     *
     * @param endpoint where to connect, as whom
     * @param hostKeyName the name its key is checked under
     * @param credentials how to log in
     * @param verifier the host-key check
     * @param timeouts the connect and auth limits
     * @param proxyJump the config's {@code ProxyJump} hops (none: direct)
     */
    record Route(Host endpoint, String hostKeyName, Credentials credentials, HostKeyVerifier verifier,
            Timeouts timeouts, List<JumpHost> proxyJump) {
    }

    /**
     * @param config the parsed config
     * @param credentials the credentials given for each host, if any (the config's keys may be its only ones)
     * @param policy the host-key policy in force; at {@link HostKeyPolicy#strict()} the config's apply per host
     * @param verifier the policy's verifier
     * @param timeouts the limits in force; at the default connect timeout the config's {@code ConnectTimeout}
     *     applies per host
     * @param prepare decodes the keys of a set of credentials ({@code SshDriver::prepare}), failing for a key that
     *     cannot be decoded
     */
    public ConfiguredRoutes(SshConfigFile config, Function<Host, Optional<Credentials>> credentials,
            HostKeyPolicy policy, HostKeyVerifier verifier, Timeouts timeouts, Consumer<Credentials> prepare) {
        this.config = config;
        this.credentials = credentials;
        this.policy = policy;
        this.policyFromConfig = policy.equals(HostKeyPolicy.strict());
        this.verifier = verifier;
        this.timeouts = timeouts;
        this.connectTimeoutFromConfig = timeouts.connect().equals(Timeouts.DEFAULTS.connect());
        this.prepare = prepare;
    }

    @Override
    public void prepare(List<Host> hosts) {
        lock.lock();
        try {
            for (Host host : hosts) {
                if (!routes.containsKey(host)) {
                    routes.put(host, resolve(host));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public ConnectRequest request(Host host, Cancellation cancellation) {
        Route route = routes.get(host);
        if (route == null) {
            prepare(List.of(host));
            route = routes.get(host);
        }
        return new ConnectRequest(host, route.endpoint(), route.hostKeyName(), route.credentials(), route.verifier(),
                route.timeouts(), cancellation);
    }

    /** The route of a host (resolved when first asked), for tests and the bastion work to come. */
    Route route(Host host) {
        request(host, Cancellation.none());
        return routes.get(host);
    }

    private Route resolve(Host host) {
        HostConfig found = config.resolve(host.address());
        try {
            HostSettings settings = config.settle(found, host.user(), host.port());
            Host endpoint = endpoint(host, settings, found);
            Credentials methods = credentials(host, settings);
            HostKeyVerifier check = policyFromConfig ? verifier(settings) : verifier;
            Timeouts limits = connectTimeoutFromConfig ? settings.connectTimeout().flatMap(Setting::value)
                    .filter(timeout -> !timeout.isZero()).map(timeouts::withConnect).orElse(timeouts) : timeouts;
            List<JumpHost> jumps = settings.proxyJump().map(Setting::value).orElse(List.of());
            settings.proxyJump().filter(hops -> !hops.value().isEmpty()).ifPresent(hops -> warnOnce(hops.source(),
                    "ProxyJump " + hops.value().stream().map(JumpHost::toString).collect(Collectors.joining(","))
                            + " is not followed yet by fanout: " + host + " is connected to directly"));
            return new Route(endpoint, settings.hostKeyName(), methods, check, limits, jumps);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(host + ": " + e.getMessage(), e);
        }
    }

    private static Host endpoint(Host host, HostSettings settings, HostConfig found) {
        if (settings.hostName().equals(host.address())) {
            return host;
        }
        try {
            return new Host(settings.hostName(), host.port(), host.user());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(found.hostName().map(name -> name.source() + ": ").orElse("")
                    + "HostName " + settings.hostName() + " is not a host name or address", e);
        }
    }

    /** The host's credentials with the config's keys and agent; the same instance for the same methods. */
    private Credentials credentials(Host host, HostSettings settings) {
        Optional<Credentials> given = credentials.apply(host);
        List<AuthMethod> methods = new ArrayList<>();
        int lastKey = -1;
        for (AuthMethod method : given.map(Credentials::methods).orElse(List.of())) {
            if (method instanceof AuthMethod.Agent agent && agent.socket().isEmpty()) {
                agentFor(settings).ifPresent(methods::add);
            } else {
                methods.add(method);
            }
            if (method instanceof AuthMethod.PublicKey) {
                lastKey = methods.size() - 1;
            }
        }
        List<AuthMethod.PublicKey> keys = new ArrayList<>();
        for (Setting<Path> file : settings.identityFiles()) {
            configKey(file).filter(key -> !methods.contains(key) && !keys.contains(key)).ifPresent(keys::add);
        }
        methods.addAll(lastKey + 1, keys);
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no way to log in is left: " + (given.isEmpty()
                    ? "no credentials were given and the ssh config names no usable IdentityFile"
                    : "the config turns the agent off (" + settings.identityAgent()
                            .map(agent -> "IdentityAgent none at " + agent.source()).orElse("IdentitiesOnly yes")
                            + ") and gives no key"));
        }
        return sameCredentials.computeIfAbsent(List.copyOf(methods), list -> {
            Credentials made = given.filter(set -> set.methods().equals(list)).orElseGet(() -> new Credentials(list));
            prepare.accept(made);
            return made;
        });
    }

    /** {@code AuthMethod.agent()} for this host: the config's agent, else SSH_AUTH_SOCK's; none if turned off. */
    private Optional<AuthMethod> agentFor(HostSettings settings) {
        if (settings.identitiesOnly()) {
            return Optional.empty();
        }
        Path socket;
        String note;
        if (settings.identityAgent().isPresent()) {
            Setting<Optional<Path>> agent = settings.identityAgent().get();
            if (agent.value().isEmpty()) {
                return Optional.empty();
            }
            socket = agent.value().get();
            note = " (IdentityAgent at " + agent.source() + ")";
        } else {
            socket = AgentSockets.fromEnvironmentIfSet(System::getenv).orElseThrow(() -> new IllegalArgumentException(
                    "ssh-agent: " + AgentSockets.ENVIRONMENT
                            + " is not set and the ssh config names no IdentityAgent"));
            note = " (" + AgentSockets.ENVIRONMENT + ")";
        }
        if (checkedSockets.add(socket)) {
            try {
                AgentSockets.requireUsable(socket, note);
            } catch (IllegalArgumentException e) {
                checkedSockets.remove(socket);
                throw e;
            }
        }
        return Optional.of(AuthMethod.agent(socket));
    }

    /** A config IdentityFile as a key, read and decoded once; empty (with a warning) when it cannot be used. */
    private Optional<AuthMethod.PublicKey> configKey(Setting<Path> file) {
        return configKeys.computeIfAbsent(file.value(), path -> {
            if (!Files.isRegularFile(path)) {
                warnOnce(file.source(), "IdentityFile " + path + " does not exist; skipped");
                return Optional.empty();
            }
            try {
                AuthMethod.PublicKey key = AuthMethod.privateKey(path, null);
                prepare.accept(Credentials.of(key));
                return Optional.of(key);
            } catch (IllegalArgumentException | UncheckedIOException e) {
                warnOnce(file.source(), "IdentityFile " + path + " skipped (fanout asks no passphrase; an agent "
                        + "holding the key offers it): " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** The host-key check the config asks for this host; one per policy and files, shared. */
    private HostKeyVerifier verifier(HostSettings settings) {
        HostKeyPolicy.Mode mode = settings.strictHostKeyChecking().map(Setting::value).map(strict -> switch (strict) {
            case YES, ASK -> HostKeyPolicy.Mode.STRICT;
            case ACCEPT_NEW -> HostKeyPolicy.Mode.ACCEPT_NEW;
            case NO -> HostKeyPolicy.Mode.ACCEPT_ALL;
        }).orElse(policy.mode());
        List<Path> files = settings.userKnownHostsFiles().map(Setting::value).orElse(List.of(policy.knownHosts()));
        if (mode == policy.mode() && files.equals(List.of(policy.knownHosts()))) {
            return verifier;
        }
        if (mode == HostKeyPolicy.Mode.ACCEPT_ALL) {
            settings.strictHostKeyChecking().ifPresent(strict -> warnOnce(strict.source(),
                    "StrictHostKeyChecking no: host keys of the hosts it covers are NOT verified"));
        }
        return verifiers.computeIfAbsent(mode + " " + files, key -> HostKeyVerifiers.forFiles(mode, files));
    }

    private void warnOnce(ConfigSource source, String warning) {
        if (warned.add(source)) {
            LOG.warn("ssh config: {}: {}", source, warning);
        }
    }
}
