package dev.fanout;

import dev.fanout.error.FanoutException;
import dev.fanout.internal.agent.AgentSockets;
import dev.fanout.internal.bastion.Bastions;
import dev.fanout.internal.bastion.JumpingDriver;
import dev.fanout.internal.driver.SshDrivers;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.pool.DirectSessions;
import dev.fanout.internal.pool.SessionPool;
import dev.fanout.internal.pool.SessionSource;
import dev.fanout.internal.route.ConfiguredRoutes;
import dev.fanout.internal.route.DirectRoutes;
import dev.fanout.internal.route.ExplicitJumps;
import dev.fanout.internal.route.Routes;
import dev.fanout.internal.schedule.FanoutSetup;
import dev.fanout.internal.schedule.ScheduledRun;
import dev.fanout.internal.schedule.Scheduler;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerifier;
import dev.fanout.spi.SshDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fanout client: one driver, one set of credentials, one host-key policy and one set of limits, built once
 * and shared by every host and thread.
 *
 * <pre>{@code
 * try (Fanout fanout = Fanout.builder()
 *         .credentials(Credentials.password(Secret.fromEnv("FANOUT_PASSWORD")))
 *         .hostKeyPolicy(HostKeyPolicy.strict())
 *         .build()) {
 *     ExecResult result = fanout.exec(Host.parse("root@10.0.0.5", null), Command.of("uname -sr"));
 *     System.out.println(result.stdout().text());
 * }
 * }</pre>
 *
 * <p>For many hosts at once, {@link #run(List, Task, RunOptions, RunListener)} returns one result per host:
 *
 * <pre>{@code
 * RunReport report = fanout.run(hosts, Task.of("uname -sr", "systemctl restart agent"),
 *         RunOptions.builder().mode(RunMode.VIRTUAL).maxHandshakes(100).build());
 * report.failed().forEach(result -> System.err.println(result.host() + ": " + result.detail()));
 * }</pre>
 *
 * <p>A service runs many jobs at once on one client with {@link #submit(List, Task, RunOptions, RunListener)}, which
 * returns a {@link RunHandle} at once (report to come, progress, cancel). Connections being set up are limited per
 * client across all its runs ({@link Builder#maxHandshakes(int)}) as well as per run, shared fairly between runs.
 *
 * <p>Thread-safe; {@link #close()} cancels the runs still going and releases the driver's shared resources (MINA's
 * client, timers).
 */
public final class Fanout implements AutoCloseable {

    /** Bytes kept per output stream of a command when no limit is set: 1 MiB. */
    public static final int DEFAULT_OUTPUT_LIMIT = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(Fanout.class);

    private final SshDriver driver;
    private final SessionSource sessions;
    /** The default credentials; absent only with an SSH config, whose IdentityFiles then log hosts in. */
    private final Optional<Credentials> credentials;
    private final Map<Host, Credentials> hostCredentials;
    private final HostKeyPolicy hostKeyPolicy;
    private final Routes routes;
    /** The bastions hosts are reached through, when any may be (given, or from an SSH config's ProxyJump). */
    private final Optional<Bastions> bastions;
    private final SshConfig sshConfig;
    private final Timeouts timeouts;
    private final int outputLimit;
    private final Scheduler scheduler;

    private Fanout(Builder builder, HostKeyVerifier hostKeyVerifier) {
        this.sshConfig = builder.sshConfig;
        boolean configured = builder.resolvesThroughConfig();
        // Without an SSH config, AuthMethod.agent() is SSH_AUTH_SOCK's agent, named and checked now; with one, each
        // host's IdentityAgent may name another, so that is settled per host (ConfiguredRoutes).
        UnaryOperator<Credentials> agents = configured ? UnaryOperator.identity()
                : given -> AgentSockets.resolve(given, System::getenv);
        this.credentials = Optional.ofNullable(builder.credentials).map(agents);
        Map<Credentials, Credentials> resolved = new HashMap<>();
        Map<Host, Credentials> perHost = new HashMap<>();
        builder.hostCredentials.forEach((host, given) -> perHost.put(host, resolved.computeIfAbsent(given, agents)));
        this.hostCredentials = Map.copyOf(perHost);
        this.hostKeyPolicy = builder.hostKeyPolicy;
        this.timeouts = builder.timeouts;
        this.outputLimit = builder.outputLimit;
        SshDriver plain = SshDrivers.create(builder.driver);
        ExplicitJumps jumps = new ExplicitJumps(builder.hostJumpHosts, builder.jumpHosts);
        try {
            // Each key is decoded once, here: a wrong passphrase is found before any host is contacted.
            Stream.concat(credentials.stream(), hostCredentials.values().stream()).distinct()
                    .map(AgentSockets::withoutUnnamedAgents).flatMap(Optional::stream).forEach(plain::prepare);
            this.routes = !configured ? new DirectRoutes(this::credentialsFor, hostKeyVerifier, timeouts, jumps)
                    : new ConfiguredRoutes(sshConfig.parsed(), this::givenCredentials, hostKeyPolicy, hostKeyVerifier,
                            timeouts, plain::prepare, jumps);
        } catch (RuntimeException e) {
            plain.close();
            throw e;
        }
        this.bastions = configured || jumps.any() ? Optional.of(new Bastions(plain, routes, builder.bastionSettings))
                : Optional.empty();
        this.driver = bastions.map(found -> JumpingDriver.wrap(plain, found)).orElse(plain);
        this.sessions = builder.poolSettings == null ? new DirectSessions(driver)
                : new SessionPool(driver, builder.poolSettings);
        this.scheduler = new Scheduler(new FanoutSetup(driver, routes, timeouts, outputLimit, sessions),
                builder.maxHandshakes, Optional.ofNullable(builder.eventListener));
    }

    /** A builder with the defaults: driver {@code mina}, STRICT host keys, {@link Timeouts#DEFAULTS}, 1 MiB. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects to one host and authenticates.
     *
     * @return an open session; close it when done
     * @throws FanoutException if connecting, the host key check or authentication fails
     */
    public HostSession connect(Host host) {
        Objects.requireNonNull(host, "host");
        ConnectRequest request = routes.request(host, Cancellation.none());
        return new HostSession(driver.connect(request), driver.name(), timeouts.command(), outputLimit,
                request.credentials().first(AuthMethod.Password.class).map(AuthMethod.Password::password));
    }

    /**
     * Connects, runs one command and disconnects.
     *
     * @throws FanoutException on any failure, including a non-zero exit of a {@link Command#checked()} command
     */
    public ExecResult exec(Host host, Command command) {
        try (HostSession session = connect(host)) {
            return session.exec(command);
        }
    }

    /** Runs the task on every host with the default options (VIRTUAL, no limits). */
    public RunReport run(List<Host> hosts, Task task) {
        return run(hosts, task, RunOptions.defaults(), new RunListener() {});
    }

    /** Runs the task on every host. */
    public RunReport run(List<Host> hosts, Task task, RunOptions options) {
        return run(hosts, task, options, new RunListener() {});
    }

    /**
     * Runs the task on every host, telling {@code listener} each host's result as it completes, and returns when
     * every host has its result: {@link #submit(List, Task, RunOptions, RunListener)}, then waiting for the report.
     *
     * <p>Every distinct host ends with exactly one {@link HostResult}, in input order; a host listed twice (same
     * user, address and port) runs once, at its first position. Failures are results, not exceptions. With a
     * session pool ({@link Builder#sessionPool}), authenticated sessions are reused across runs (not in ASYNC mode,
     * which always connects anew). Interrupting the calling thread cancels the run promptly: the report is still
     * complete, with unfinished hosts cancelled or skipped (detail {@code interrupted}), and the interrupt flag stays
     * set. Returns only when every thread the run made has ended.
     *
     * @throws IllegalArgumentException for ASYNC mode with the {@code jsch} driver, or when two hosts would download
     *     into the same local file ({@link Task#requireDistinctDownloads}); no host is contacted then
     * @throws IllegalStateException once this client is closed
     */
    public RunReport run(List<Host> hosts, Task task, RunOptions options, RunListener listener) {
        return start(targets(hosts), task, options, listener).awaitReport();
    }

    /** Starts the task on every host with no listener; see {@link #submit(List, Task, RunOptions, RunListener)}. */
    public RunHandle submit(List<Host> hosts, Task task, RunOptions options) {
        return submit(hosts, task, options, new RunListener() {});
    }

    /**
     * Starts the task on every host and returns at once, while the run goes on on a virtual thread of its own (see
     * {@link RunHandle}). Each host ends with exactly one result, as with {@link #run(List, Task, RunOptions,
     * RunListener) run}. Runs of one client share its handshake limit ({@link Builder#maxHandshakes(int)}) fairly,
     * each within its own ({@link RunOptions#maxHandshakes()}), and its session pool; cancelling one run never
     * touches another.
     *
     * @throws IllegalArgumentException for ASYNC mode with the {@code jsch} driver, or when two hosts would download
     *     into the same local file ({@link Task#requireDistinctDownloads}); no host is contacted then
     * @throws IllegalStateException once this client is closed
     */
    public RunHandle submit(List<Host> hosts, Task task, RunOptions options, RunListener listener) {
        return start(targets(hosts), task, options, listener);
    }

    private static List<Target> targets(List<Host> hosts) {
        return Objects.requireNonNull(hosts, "hosts").stream().map(Target::of).toList();
    }

    /**
     * Runs the task on every target with no listener; see {@link #submitTargets(List, Task, RunOptions, RunListener)}.
     */
    public RunReport runTargets(List<Target> targets, Task task, RunOptions options) {
        return runTargets(targets, task, options, new RunListener() {});
    }

    /**
     * Runs the task on every target, as {@link #run(List, Task, RunOptions, RunListener) run} does on hosts, each
     * target with its own credentials and variables: {@link #submitTargets(List, Task, RunOptions, RunListener)}, then
     * waiting for the report.
     *
     * @throws IllegalArgumentException as {@link #submitTargets(List, Task, RunOptions, RunListener) submitTargets}
     *     does; no host is contacted then
     * @throws IllegalStateException once this client is closed
     */
    public RunReport runTargets(List<Target> targets, Task task, RunOptions options, RunListener listener) {
        return start(targets, task, options, listener).awaitReport();
    }

    /**
     * Starts the task on every target with no listener; see
     * {@link #submitTargets(List, Task, RunOptions, RunListener)}.
     */
    public RunHandle submitTargets(List<Target> targets, Task task, RunOptions options) {
        return submitTargets(targets, task, options, new RunListener() {});
    }

    /**
     * Starts the task on every target and returns at once, as {@link #submit(List, Task, RunOptions, RunListener)
     * submit} does on hosts. Each target logs in with its own credentials, if it has some (else the client's for its
     * host), and its commands' {@code {{name}}} placeholders take its variables, shell-quoted (see {@link Target}).
     * Runs with different credentials share this client's session pool: a pooled session serves a later run's host
     * only if that run gives it equal credentials (the same {@link Credentials} object, or one made of the same
     * {@link Secret}s), so a session is never lent to a run with another password. A host listed twice with the same
     * inputs runs once; the private keys of the targets' credentials are decoded now.
     *
     * @throws IllegalArgumentException before any host is contacted: for a command that uses a variable its target
     *     does not set (naming the host and the variable), a host listed twice with different inputs, a private key
     *     that cannot be decoded, ASYNC mode with the {@code jsch} driver, or two hosts downloading into one local
     *     file
     * @throws IllegalStateException once this client is closed
     */
    public RunHandle submitTargets(List<Target> targets, Task task, RunOptions options, RunListener listener) {
        return start(targets, task, options, listener);
    }

    private ScheduledRun start(List<Target> targets, Task task, RunOptions options, RunListener listener) {
        Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        List<Host> hosts = targets.stream().map(Target::host).toList();
        task.requireDistinctDownloads(hosts);
        routes.prepare(hosts);
        bastions.ifPresent(found -> found.prepare(hosts));
        targets.stream().flatMap(target -> target.credentials().stream()).distinct().forEach(driver::prepare);
        return scheduler.submit(targets, task, options, listener);
    }

    /**
     * The credentials given for a host: its own, if given to {@link Builder#hostCredentials}, else the default. With
     * an {@link SshConfig}, the host's {@code IdentityFile}s and {@code IdentityAgent} are added to these per host.
     *
     * @throws IllegalStateException when none were given for the host (possible only with an SSH config)
     */
    public Credentials credentialsFor(Host host) {
        return givenCredentials(host).orElseThrow(() -> new IllegalStateException("no credentials were given for "
                + host + " (the SSH config's IdentityFiles are its only keys)"));
    }

    private Optional<Credentials> givenCredentials(Host host) {
        Credentials own = hostCredentials.get(host);
        return own != null ? Optional.of(own) : credentials;
    }

    /** The session pool's counters, when the pool is on. */
    public Optional<PoolStats> poolStats() {
        return sessions instanceof SessionPool pool ? Optional.of(pool.stats()) : Optional.empty();
    }

    /** The OpenSSH client config hosts are resolved through, if one was given to the builder. */
    public Optional<SshConfig> sshConfig() {
        return Optional.ofNullable(sshConfig);
    }

    /** The driver's name. */
    public String driverName() {
        return driver.name();
    }

    /** The host-key policy in force. */
    public HostKeyPolicy hostKeyPolicy() {
        return hostKeyPolicy;
    }

    /** The time limits in force. */
    public Timeouts timeouts() {
        return timeouts;
    }

    /**
     * Cancels the runs still going and waits for their reports (unless called from a run's listener, which cannot
     * wait for its own run), then closes pooled sessions and releases the driver. Sessions still open are closed.
     * Idempotent.
     */
    @Override
    public void close() {
        scheduler.close();
        sessions.close();
        driver.close();
    }

    /**
     * Collects the settings of a {@link Fanout}. Each setter rejects a bad value at once, naming it. Not
     * thread-safe; {@link #build()} may be called more than once.
     */
    public static final class Builder {
        private String driver = "mina";
        private Credentials credentials;
        private HostKeyPolicy hostKeyPolicy = HostKeyPolicy.strict();
        private Timeouts timeouts = Timeouts.DEFAULTS;
        private int outputLimit = DEFAULT_OUTPUT_LIMIT;
        private PoolSettings poolSettings;
        private Map<Host, Credentials> hostCredentials = Map.of();
        private SshConfig sshConfig;
        private int maxHandshakes = RunOptions.DEFAULT_MAX_HANDSHAKES;
        private Optional<List<Host>> jumpHosts = Optional.empty();
        private Map<Host, List<Host>> hostJumpHosts = Map.of();
        private BastionSettings bastionSettings = BastionSettings.DEFAULTS;
        private RunListener eventListener;

        private Builder() {
        }

        /**
         * Reaches every host through these bastions (jump hosts), in order, as {@code ssh -J b1,b2} does: the first
         * is connected to directly (or through its own {@code ProxyJump}, with an SSH config), each next one through
         * the one before, the host through the last. One login to a bastion carries many hosts, each a
         * {@code direct-tcpip} channel ({@link #bastions}); host keys are checked on every hop, each bastion with the
         * credentials and host-key policy any host would get ({@link #hostJumpHosts} may name its own). Wins over
         * an SSH config's {@code ProxyJump}; a host's own {@link #hostJumpHosts} wins over it. An empty list: every
         * host directly.
         */
        public Builder jumpHosts(List<Host> bastions) {
            this.jumpHosts = Optional.of(List.copyOf(bastions));
            return this;
        }

        /**
         * The bastions of particular hosts (an inventory's {@code via}), as {@link #jumpHosts} for those hosts; an
         * empty list reaches that host directly.
         */
        public Builder hostJumpHosts(Map<Host, List<Host>> perHost) {
            Map<Host, List<Host>> copy = new HashMap<>();
            perHost.forEach((host, bastions) -> copy.put(host, List.copyOf(bastions)));
            this.hostJumpHosts = Map.copyOf(copy);
            return this;
        }

        /** How many sessions, hosts per session and handshakes at once each bastion gets. */
        public Builder bastions(BastionSettings settings) {
            this.bastionSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * A listener told about every run of this client, each call before the run's own listener gets it, as
         * OkHttp's client-wide {@code eventListener}: for metrics across all jobs (such as
         * {@code dev.fanout.micrometer.FanoutMetrics}) or an audit log. It hears several runs at once, so it must be
         * thread-safe; what it throws is logged and ignored. None by default.
         */
        public Builder eventListener(RunListener listener) {
            this.eventListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Connections being set up at once by this client, all its runs together (default 256; 0: no limit), so that
         * five jobs at once do not start five times a run's handshakes against OpenSSH's MaxStartups and PAM. Each
         * run stays within its own {@link RunOptions#maxHandshakes()} too. Permits are shared fairly: when one comes
         * free it goes to the next run in turn, so a run of 10 hosts submitted after one of 5,000 gets every other
         * permit instead of waiting behind all 5,000.
         */
        public Builder maxHandshakes(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("maxHandshakes must not be negative: " + value);
            }
            this.maxHandshakes = value;
            return this;
        }

        /**
         * Credentials for particular hosts (from an inventory, say), used instead of the default
         * {@link #credentials} for those hosts.
         */
        public Builder hostCredentials(Map<Host, Credentials> perHost) {
            this.hostCredentials = Map.copyOf(perHost);
            return this;
        }

        /**
         * Keeps authenticated sessions in a keyed pool (Apache Commons Pool2) for the next run, instead of closing
         * them when a host is done. Off by default (one-shot runs close sessions at once).
         */
        public Builder sessionPool(PoolSettings settings) {
            this.poolSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Resolves hosts through an OpenSSH client config, as {@code ssh} does; off by default. Per host, the
         * config's {@code HostName} is where to connect, its {@code IdentityFile}s are added after the credentials'
         * own keys, its {@code IdentityAgent} is the socket of {@link AuthMethod#agent()}, and its host key is
         * checked under {@code HostKeyAlias} (else {@code HostName}). What is set explicitly wins, as ssh's command
         * line does: the {@link Host}'s user and port (use {@link SshConfig#host} to take them from the config),
         * an agent given its socket, a host-key policy other than the default (else the config's
         * {@code UserKnownHostsFile} and {@code StrictHostKeyChecking} apply), a connect timeout other than the
         * default (else {@code ConnectTimeout}). Each distinct host is resolved once, before a run contacts any;
         * a host the config cannot serve (a bad {@code HostName}, an agent socket without an agent) makes
         * {@link Fanout#run} throw {@link IllegalArgumentException} naming it, the file and the line.
         */
        public Builder sshConfig(SshConfig config) {
            this.sshConfig = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Whether hosts go through the config: one with nothing in it (no such file, only keywords fanout ignores)
         * changes nothing, so the direct path, which costs nothing per host, serves then.
         */
        private boolean resolvesThroughConfig() {
            return sshConfig != null && !sshConfig.isEmpty();
        }

        /** {@link #sshConfig(SshConfig)} with {@link SshConfig#file(Path) the config in this file}. */
        public Builder sshConfig(Path file) {
            return sshConfig(SshConfig.file(file));
        }

        /** The driver by name: {@code mina} (default) or {@code jsch}. */
        public Builder driver(String name) {
            this.driver = Objects.requireNonNull(name, "driver");
            return this;
        }

        /** How to log in (required). */
        public Builder credentials(Credentials value) {
            this.credentials = Objects.requireNonNull(value, "credentials");
            return this;
        }

        /** How host keys are checked; STRICT against {@code ~/.ssh/known_hosts} by default. */
        public Builder hostKeyPolicy(HostKeyPolicy value) {
            this.hostKeyPolicy = Objects.requireNonNull(value, "hostKeyPolicy");
            return this;
        }

        /** The connect, auth and command time limits. */
        public Builder timeouts(Timeouts value) {
            this.timeouts = Objects.requireNonNull(value, "timeouts");
            return this;
        }

        /** Bytes kept per output stream of each command (default 1 MiB); the rest is counted and dropped. */
        public Builder outputLimit(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("outputLimit must not be negative: " + bytes);
            }
            this.outputLimit = bytes;
            return this;
        }

        /**
         * Builds the client, starts its driver and decodes every private key of the credentials, once.
         *
         * @throws IllegalStateException if no credentials were set and no {@link #sshConfig SSH config} (with
         *     one, credentials may be left out: each host then logs in with the config's {@code IdentityFile}s)
         * @throws IllegalArgumentException for an unknown driver, a STRICT policy whose known_hosts file is
         *     missing, a private key that cannot be decoded (wrong or missing passphrase, unknown format): the
         *     message names the key, never the passphrase; or an {@link AuthMethod#agent() agent} whose socket is
         *     missing, not a socket or refusing connections, or {@code SSH_AUTH_SOCK} unset: the message names it
         */
        public Fanout build() {
            if (credentials == null && !resolvesThroughConfig()) {
                throw new IllegalStateException("credentials are required: call credentials(...) before build()");
            }
            boolean perHost = resolvesThroughConfig() && hostKeyPolicy.equals(HostKeyPolicy.strict());
            if (hostKeyPolicy.mode() == HostKeyPolicy.Mode.STRICT && !perHost
                    && !Files.isReadable(hostKeyPolicy.knownHosts())) {
                throw new IllegalArgumentException("known_hosts file " + hostKeyPolicy.knownHosts()
                        + " is missing or unreadable; host-key policy STRICT needs it (fill it with ssh-keyscan, "
                        + "or choose ACCEPT_NEW)");
            }
            HostKeyVerifier verifier = HostKeyVerifiers.forPolicy(hostKeyPolicy);
            if (hostKeyPolicy.mode() == HostKeyPolicy.Mode.ACCEPT_ALL) {
                LOG.warn("host-key policy ACCEPT_ALL: server host keys are NOT verified; "
                        + "connections can be intercepted");
            }
            return new Fanout(this, verifier);
        }
    }
}
