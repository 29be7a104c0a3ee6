package dev.fanout.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.Fleets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The keyed session pool through {@code Fanout.run}, against the simulated fleet. */
class SessionPoolTest {

    private static final Secret PASSWORD = Secret.of("pool-test");

    @TempDir
    Path dir;

    private Fanout pooled(SimulatedFleet fleet, String driver, PoolSettings settings) {
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().driver(driver).credentials(Credentials.password(PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).sessionPool(settings).build();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsch", "mina"})
    void reusesAuthenticatedSessionsAcrossRuns(String driver) throws Exception {
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

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsch", "mina"})
    void replacesSessionsTheServerDroppedWithoutFailingHosts(String driver) throws Exception {
        Duration commandTimeout = Duration.ofSeconds(60);
        Path knownHosts = dir.resolve("known_hosts");
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(20, "root", PASSWORD))) {
            fleet.writeKnownHosts(knownHosts);
            try (Fanout fanout = Fanout.builder().driver(driver).credentials(Credentials.password(PASSWORD))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).sessionPool(PoolSettings.DEFAULTS)
                    .timeouts(dev.fanout.Timeouts.DEFAULTS.withCommand(commandTimeout)).build()) {
                for (int round = 1; round <= 3; round++) {
                    assertTrue(fanout.run(fleet.hosts(), Task.of("true")).allOk());
                    fleet.dropSessions();
                    RunReport afterRestart = fanout.run(fleet.hosts(), Task.of("hostname"));
                    assertTrue(afterRestart.allOk(), String.valueOf(afterRestart.failed()));
                    assertTrue(afterRestart.results().stream().allMatch(r -> r.retried().isEmpty() && r.attempts() == 1),
                            "replacing a dead pooled session is not a retry");
                    assertTrue(afterRestart.duration().compareTo(commandTimeout) < 0,
                            "a dead session is found out without waiting for the command timeout");
                }
                PoolStats stats = fanout.poolStats().orElseThrow();
                assertTrue(stats.destroyed() >= 60, "dead sessions were discarded: " + stats);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsch", "mina"})
    void waitsAtMostMaxWaitForABusyHost(String driver) throws Exception {
        PoolSettings onePerHost = new PoolSettings(1, Duration.ofMillis(300), Duration.ofSeconds(60),
                Duration.ofSeconds(15));
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                Fanout fanout = pooled(fleet, driver, onePerHost)) {
            CompletableFuture<RunReport> busy = CompletableFuture.supplyAsync(
                    () -> fanout.run(fleet.hosts(), Task.of("sleep 2")));
            Thread.sleep(800);
            HostResult waiting = fanout.run(fleet.hosts(), Task.of("true")).results().get(0);
            assertEquals(HostStatus.TIMED_OUT, waiting.status(), waiting.detail());
            assertInstanceOf(ConnectTimeoutException.class, waiting.error().orElseThrow());
            assertTrue(busy.get(10, TimeUnit.SECONDS).allOk());
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsch", "mina"})
    void closingTheClientClosesPooledSessions(String driver) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(10, "root", PASSWORD))) {
            try (Fanout fanout = pooled(fleet, driver, PoolSettings.DEFAULTS)) {
                assertTrue(fanout.run(fleet.hosts(), Task.of("true")).allOk());
                assertEquals(10, fleet.activeSessions());
            }
            assertEquals(0, Fleets.awaitNoSessions(fleet));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"jsch", "mina"})
    void withoutThePoolSessionsCloseWhenTheHostIsDone(String driver) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(10, "root", PASSWORD))) {
            Path knownHosts = dir.resolve("kh");
            fleet.writeKnownHosts(knownHosts);
            try (Fanout fanout = Fanout.builder().driver(driver).credentials(Credentials.password(PASSWORD))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build()) {
                assertTrue(fanout.run(fleet.hosts(), Task.of("true")).allOk());
                assertTrue(fanout.poolStats().isEmpty());
                assertEquals(0, Fleets.awaitNoSessions(fleet));
                assertEquals(List.of(), fanout.run(List.of(), Task.of("true")).results());
            }
        }
    }
}
