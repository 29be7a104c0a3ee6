package dev.fanout.internal.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.PoolSettings;
import dev.fanout.PoolStats;
import dev.fanout.RetryPolicy;
import dev.fanout.RunHandle;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.error.Phase;
import dev.fanout.error.PoolExhaustedException;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.internal.driver.SshDrivers;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.HostKeyVerifier;
import dev.fanout.spi.SshDriver;
import dev.fanout.testing.Await;
import dev.fanout.testing.Fleets;
import dev.fanout.testing.TestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The keyed session pool through {@code Fanout.run}, against the simulated fleet. */
class SessionPoolTest {

    private static final Secret PASSWORD = Secret.of("pool-test");

    @TempDir
    Path dir;

    private Fanout pooled(SimulatedFleet fleet, TestDriver driver, PoolSettings settings) {
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().driver(driver.id()).credentials(Credentials.password(PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).sessionPool(settings).build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void reusesAuthenticatedSessionsAcrossRuns(TestDriver driver) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(20, "root", PASSWORD));
                Fanout fanout = pooled(fleet, driver, PoolSettings.DEFAULTS)) {
            assertTrue(fanout.run(fleet.hosts(), Task.of("echo one")).allOk());
            RunReport second = fanout.run(fleet.hosts(), Task.of("echo two", "echo three"));
            assertTrue(second.allOk());
            PoolStats stats = fanout.poolStats().orElseThrow();
            assertEquals(20, stats.created(), "no new connection on the second run");
            assertEquals(40, stats.borrowed());
            assertEquals(20, stats.reused());
            assertEquals(20, stats.idle());
            assertEquals(0, stats.active());
            assertTrue(second.results().stream().allMatch(r -> r.timings().connect().isZero()),
                    "a reused session took no connect time");
            assertEquals(20, fleet.activeSessions(), "the pool keeps the sessions open");
        }
    }

    /**
     * Pooled sessions the server dropped are replaced, not retried, and found dead without waiting for the command
     * timeout: that lies beyond the test's own time limit, which a run that waited for it would fail.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void replacesSessionsTheServerDroppedWithoutFailingHosts(TestDriver driver) throws Exception {
        Duration commandTimeout = Duration.ofMinutes(10);
        Path knownHosts = dir.resolve("known_hosts");
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(20, "root", PASSWORD))) {
            fleet.writeKnownHosts(knownHosts);
            try (Fanout fanout = Fanout.builder().driver(driver.id()).credentials(Credentials.password(PASSWORD))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).sessionPool(PoolSettings.DEFAULTS)
                    .timeouts(dev.fanout.Timeouts.DEFAULTS.withCommand(commandTimeout)).build()) {
                for (int round = 1; round <= 3; round++) {
                    assertTrue(fanout.run(fleet.hosts(), Task.of("true")).allOk());
                    fleet.dropSessions();
                    RunReport afterRestart = fanout.run(fleet.hosts(), Task.of("hostname"));
                    assertTrue(afterRestart.allOk(), String.valueOf(afterRestart.failed()));
                    assertTrue(
                            afterRestart.results().stream().allMatch(r -> r.retried().isEmpty() && r.attempts() == 1),
                            "replacing a dead pooled session is not a retry");
                }
                PoolStats stats = fanout.poolStats().orElseThrow();
                assertTrue(stats.destroyed() >= 60, "dead sessions were discarded: " + stats);
            }
        }
    }

    /**
     * A host whose one pooled session is busy in another run waits at most maxWait, then says so with its own error:
     * not a connect timeout, since nothing was sent to the host. The busy run's command outlasts the test.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHostBusyInAnotherRunWaitsAtMostMaxWaitAndSaysWhy(TestDriver driver) throws Exception {
        PoolSettings onePerHost = new PoolSettings(1, Duration.ofMillis(300), Duration.ofSeconds(60),
                Duration.ofSeconds(15));
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                Fanout fanout = pooled(fleet, driver, onePerHost)) {
            RunHandle busy = fanout.submit(fleet.hosts(), Task.of("sleep 600"), RunOptions.defaults());
            Await.until(() -> "the busy run holds the host's session: " + fanout.poolStats(),
                    () -> fanout.poolStats().orElseThrow().active() > 0);
            HostResult waiting = fanout.run(fleet.hosts(), Task.of("true")).results().get(0);
            assertEquals(HostStatus.TIMED_OUT, waiting.status(), waiting.detail());
            PoolExhaustedException error = assertInstanceOf(PoolExhaustedException.class,
                    waiting.error().orElseThrow());
            assertEquals(Phase.CONNECT, error.phase());
            assertEquals("pool_exhausted", error.kind());
            assertTrue(error.retryable());
            assertEquals(fleet.hosts().get(0) + ": all 1 pooled session of the host stayed busy for 300 ms "
                    + "(PoolSettings maxPerHost, maxWait) [connect, " + driver + "]", waiting.detail());
            RetryPolicy retry = new RetryPolicy(2, Duration.ofMillis(10), Duration.ofMillis(10), 0, false);
            HostResult notRetried = fanout.run(fleet.hosts(), Task.of("true"), RunOptions.builder().retry(retry)
                    .build()).results().get(0);
            assertEquals(1, notRetried.attempts(), "like a connect timeout, it already cost its full wait");
            HostResult retried = fanout.run(fleet.hosts(), Task.of("true"), RunOptions.builder()
                    .retry(retry.withConnectTimeouts()).build()).results().get(0);
            assertEquals(2, retried.attempts());
            assertInstanceOf(PoolExhaustedException.class, retried.retried().get(0));
            assertTrue(busy.cancel());
            HostResult cancelled = busy.report().get().results().get(0);
            assertEquals(HostStatus.CANCELLED, cancelled.status(), cancelled.detail());
        }
    }

    /**
     * Two runs borrow for the same host while its one place is taken; the second run was cancelled. The borrower of
     * the first run must connect with its own request: before, the pool connected with the request stored last for
     * the host (the cancelled one), and the first run's borrower waited for nothing until maxWait. The cancelled
     * borrower waits while the first connects and runs a command: maxWait is far above that, also under load.
     */
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void eachBorrowerConnectsWithItsOwnRequest() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        PoolSettings onePerHost = new PoolSettings(1, Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofSeconds(15));
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                SshDriver driver = SshDrivers.create(TestDriver.MINA.id());
                SessionPool pool = new SessionPool(driver, onePerHost)) {
            fleet.writeKnownHosts(knownHosts);
            HostKeyVerifier verifier = HostKeyVerifiers.forPolicy(HostKeyPolicy.strict(knownHosts));
            Host host = fleet.hosts().get(0);
            Credentials credentials = Credentials.password(PASSWORD);
            Cancellation cancelledRun = new Cancellation();
            cancelledRun.cancel();
            ConnectRequest live = new ConnectRequest(host, credentials, verifier, Timeouts.DEFAULTS,
                    new Cancellation());
            ConnectRequest cancelled = new ConnectRequest(host, credentials, verifier, Timeouts.DEFAULTS, cancelledRun);

            Lease first = pool.acquire(live, ConnectPermits.NONE);
            CompletableFuture<Lease> liveBorrow = new CompletableFuture<>();
            CompletableFuture<Lease> cancelledBorrow = new CompletableFuture<>();
            Thread liveThread = borrowInBackground(pool, live, liveBorrow);
            awaitWaiting(liveThread);
            Thread cancelledThread = borrowInBackground(pool, cancelled, cancelledBorrow);
            awaitWaiting(cancelledThread);
            pool.release(first, false);

            Lease second = liveBorrow.get();
            assertTrue(second.session().exec(new ExecRequest("true", Duration.ofSeconds(10), 1024)).isSuccess());
            pool.release(second, false);
            Throwable refused = cancelledBorrow.handle((lease, failure) -> failure).get();
            assertInstanceOf(CancellationException.class, refused, "the cancelled run's borrower is cancelled");
            assertEquals(0, pool.stats().active(), "the cancelled borrower's place was given up");
        }
    }

    private static Thread borrowInBackground(SessionPool pool, ConnectRequest request, CompletableFuture<Lease> lease) {
        return Thread.ofPlatform().daemon().start(() -> {
            try {
                lease.complete(pool.acquire(request, ConnectPermits.NONE));
            } catch (Throwable e) {
                lease.completeExceptionally(e);
            }
        });
    }

    /** Waits until the thread waits, with a time limit, for a place in the pool (nothing else in it waits so). */
    private static void awaitWaiting(Thread borrower) throws InterruptedException {
        Await.until(() -> "the borrower waits for the host's one place: " + borrower.getState(),
                () -> borrower.getState() == Thread.State.TIMED_WAITING || !borrower.isAlive());
        assertTrue(borrower.isAlive(), "the borrower waits for the host's one place");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void closingTheClientClosesPooledSessions(TestDriver driver) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(10, "root", PASSWORD))) {
            try (Fanout fanout = pooled(fleet, driver, PoolSettings.DEFAULTS)) {
                assertTrue(fanout.run(fleet.hosts(), Task.of("true")).allOk());
                assertEquals(10, fleet.activeSessions());
            }
            assertEquals(0, Fleets.awaitNoSessions(fleet));
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void withoutThePoolSessionsCloseWhenTheHostIsDone(TestDriver driver) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(10, "root", PASSWORD))) {
            Path knownHosts = dir.resolve("kh");
            fleet.writeKnownHosts(knownHosts);
            try (Fanout fanout = Fanout.builder().driver(driver.id()).credentials(Credentials.password(PASSWORD))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build()) {
                assertTrue(fanout.run(fleet.hosts(), Task.of("true")).allOk());
                assertTrue(fanout.poolStats().isEmpty());
                assertEquals(0, Fleets.awaitNoSessions(fleet));
                assertEquals(List.of(), fanout.run(List.of(), Task.of("true")).results());
            }
        }
    }
}
