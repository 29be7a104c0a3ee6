package dev.fanout;

import dev.fanout.error.FanoutException;
import dev.fanout.internal.driver.SshDrivers;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.pool.DirectSessions;
import dev.fanout.internal.pool.SessionPool;
import dev.fanout.internal.pool.SessionSource;
import dev.fanout.internal.schedule.FanoutSetup;
import dev.fanout.internal.schedule.ScheduledRun;
import dev.fanout.internal.schedule.Scheduler;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerifier;
import dev.fanout.spi.SshDriver;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
    private final Credentials credentials;
    private final Map<Host, Credentials> hostCredentials;
    private final HostKeyPolicy hostKeyPolicy;
    private final HostKeyVerifier hostKeyVerifier;
    private final Timeouts timeouts;
    private final int outputLimit;
    private final Scheduler scheduler;

    private Fanout(Builder builder, HostKeyVerifier hostKeyVerifier) {
        this.credentials = builder.credentials;
        this.hostCredentials = Map.copyOf(builder.hostCredentials);
        this.hostKeyPolicy = builder.hostKeyPolicy;
        this.hostKeyVerifier = hostKeyVerifier;
        this.timeouts = builder.timeouts;
        this.outputLimit = builder.outputLimit;
        this.driver = SshDrivers.create(builder.driver);
        try {
            // Each key is decoded once, here: a wrong passphrase is found before any host is contacted.
            Stream.concat(Stream.of(credentials), hostCredentials.values().stream())
                    .distinct().forEach(driver::prepare);
        } catch (RuntimeException e) {
            driver.close();
            throw e;
        }
        this.sessions = builder.poolSettings == null ? new DirectSessions(driver)
                : new SessionPool(driver, builder.poolSettings);
        this.scheduler = new Scheduler(new FanoutSetup(driver, this::credentialsFor, hostKeyVerifier, timeouts,
                outputLimit, sessions), builder.maxHandshakes, Optional.ofNullable(builder.eventListener));
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
        return new HostSession(driver.connect(new ConnectRequest(host, credentialsFor(host), hostKeyVerifier,
                timeouts, Cancellation.none())), driver.name(), timeouts.command(), outputLimit);
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
        return start(hosts, task, options, listener).awaitReport();
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
        return start(hosts, task, options, listener);
    }

    private ScheduledRun start(List<Host> hosts, Task task, RunOptions options, RunListener listener) {
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(listener, "listener");
        task.requireDistinctDownloads(hosts);
        return scheduler.submit(hosts, task, options, listener);
    }

    /** The credentials used for a host: its own, if given to {@link Builder#hostCredentials}, else the default. */
    public Credentials credentialsFor(Host host) {
        return hostCredentials.getOrDefault(host, credentials);
    }

    /** The session pool's counters, when the pool is on. */
    public Optional<PoolStats> poolStats() {
        return sessions instanceof SessionPool pool ? Optional.of(pool.stats()) : Optional.empty();
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
        private int maxHandshakes = RunOptions.DEFAULT_MAX_HANDSHAKES;
        private RunListener eventListener;

        private Builder() {
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
         * @throws IllegalStateException if no credentials were set
         * @throws IllegalArgumentException for an unknown driver, a STRICT policy whose known_hosts file is
         *     missing, or a private key that cannot be decoded (wrong or missing passphrase, unknown format): the
         *     message names the key, never the passphrase
         */
        public Fanout build() {
            if (credentials == null) {
                throw new IllegalStateException("credentials are required: call credentials(...) before build()");
            }
            if (hostKeyPolicy.mode() == HostKeyPolicy.Mode.STRICT && !Files.isReadable(hostKeyPolicy.knownHosts())) {
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
