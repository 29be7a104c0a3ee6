package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunHandle;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunProgress;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.Await;
import dev.fanout.testing.Fleets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Run handles against the simulated fleet: a run submitted returns at once; it can be cancelled whole or one host
 * at a time without touching other runs; its progress adds up while it goes; its report completes on its own thread.
 * Runs that would hang without the feature under test have time limits far above their usual seconds.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RunHandlesTest {

    private static final Secret PASSWORD = Secret.of("run-handles-test");
    /**
     * Limits far above what a step takes on a loaded machine. A hanging command would end TIMED_OUT only after 10
     * minutes, as would {@code sleep 600}, long after the tests' own limit: a host that ends otherwise was cancelled.
     */
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private Fanout fanout(SimulatedFleet fleet) {
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().credentials(Credentials.password(PASSWORD)).timeouts(TIMEOUTS)
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build();
    }

    private static RunOptions.Builder options(RunMode mode, int inFlight) {
        return RunOptions.builder().mode(mode).threads(inFlight).maxInFlight(inFlight);
    }

    private static RunListener onHostFinished(Runnable action) {
        return new RunListener() {
            @Override
            public void hostFinished(HostResult result) {
                action.run();
            }
        };
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void cancellingRunADoesNotTouchRunBOnTheSameHosts(RunMode mode) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(12, "root", PASSWORD));
                Fanout fanout = fanout(fleet)) {
            CountDownLatch bGoing = new CountDownLatch(1);
            RunHandle a = fanout.submit(fleet.hosts(), Task.of("sleep 600"), options(mode, 3).build());
            awaitInCommand(fleet, a, mode == RunMode.SERIAL ? 1 : 3);
            RunHandle b = fanout.submit(fleet.hosts(), Task.of("sleep 0.3"), options(mode, 3).build(),
                    onHostFinished(bGoing::countDown));
            assertTrue(bGoing.await(60, TimeUnit.SECONDS));
            assertTrue(a.cancel());

            RunReport cancelled = a.report().get(60, TimeUnit.SECONDS);
            assertEquals(12, cancelled.results().size(), "no host is missing");
            for (HostResult result : cancelled.results()) {
                switch (result.status()) {
                    case CANCELLED -> assertEquals("cancelled", result.detail());
                    case SKIPPED -> assertEquals("not started: cancelled", result.detail());
                    default -> fail(result.host() + " ended " + result.status() + ": " + result.detail());
                }
            }
            assertTrue(cancelled.summary().get(HostStatus.CANCELLED) > 0, cancelled.summary().toString());
            RunReport other = b.report().get(60, TimeUnit.SECONDS);
            assertTrue(other.allOk(), String.valueOf(other.failed()));
            assertFalse(a.cancel(), "a finished run cannot be cancelled");
            assertEquals(0, Fleets.awaitNoSessions(fleet), "the cancelled hosts' sessions are closed");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void cancellingOneRunningHostLeavesTheOthersRunning(RunMode mode) throws Exception {
        FleetConfig config = FleetConfig.of(6, "root", PASSWORD).withFaults(List.of(Fault.on(FaultType.HANG, 5)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet)) {
            List<Host> hosts = fleet.hosts();
            CountDownLatch othersDone = new CountDownLatch(5);
            RunHandle run = fanout.submit(hosts, Task.of("true"), options(mode, 2).build(),
                    onHostFinished(othersDone::countDown));
            assertTrue(othersDone.await(60, TimeUnit.SECONDS));
            awaitRunning(run, 1);
            assertTrue(run.cancel(hosts.get(5)), "host 5 is running: connecting, or hanging in its command");

            RunReport report = run.report().get(60, TimeUnit.SECONDS);
            HostResult hung = report.results().get(5);
            assertEquals(HostStatus.CANCELLED, hung.status(), hung.detail());
            assertEquals("cancelled", hung.detail());
            assertEquals(5, report.summary().get(HostStatus.OK), String.valueOf(report.failed()));
            assertFalse(run.cancel(hosts.get(5)), "the host has its result");
            assertFalse(run.cancel(Host.of("root", "192.0.2.1")), "not a host of the run");
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void cancellingAHostNotStartedSkipsItWithoutConnecting(RunMode mode) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(4, "root", PASSWORD));
                Fanout fanout = fanout(fleet)) {
            List<Host> hosts = fleet.hosts();
            CountDownLatch gate = new CountDownLatch(1);
            RunHandle run = fanout.submit(hosts, Task.of("true"), options(mode, 2).build(), new RunListener() {
                @Override
                public void runStarted(int count) {
                    // The run's thread starts no host before the test has cancelled one.
                    awaitQuietly(gate);
                }
            });
            assertEquals(new RunProgress(4, 4, 0, 0), run.progress());
            assertTrue(run.cancel(hosts.get(3)));
            gate.countDown();

            RunReport report = run.report().get(60, TimeUnit.SECONDS);
            HostResult skipped = report.results().get(3);
            assertEquals(HostStatus.SKIPPED, skipped.status());
            assertEquals("not started: cancelled", skipped.detail());
            assertEquals(0, skipped.attempts(), "never connected");
            assertEquals(3, report.summary().get(HostStatus.OK));
        }
    }

    /**
     * A snapshot taken inside the listener of the 10th host to finish adds up: the hosts are each waiting, running or
     * done, at least 10 are done, the hanging hosts hold their places and no more hosts run than the run lets in
     * flight. Listener calls are made on the run's listener threads, after the host has given its place back, so the
     * next host may have started by then (one CI run saw it in SERIAL mode): the snapshot is a bound, not exact.
     */
    @ParameterizedTest(name = "{0}, {1} hanging")
    @CsvSource({"SERIAL, 0", "PLATFORM, 2", "VIRTUAL, 2", "ASYNC, 2"})
    void theProgressAddsUpWhileTheRunGoesOn(RunMode mode, int hanging) throws Exception {
        FleetConfig config = FleetConfig.of(30, "root", PASSWORD)
                .withLatencies(Latency.NONE, Latency.NONE, Latency.parse("20ms"))
                .withFaults(IntStream.range(0, hanging).mapToObj(i -> Fault.on(FaultType.HANG, i)).toList());
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet)) {
            CompletableFuture<RunHandle> handle = new CompletableFuture<>();
            CompletableFuture<RunProgress> tenthDone = new CompletableFuture<>();
            AtomicInteger finished = new AtomicInteger();
            RunHandle run = fanout.submit(fleet.hosts(), Task.of("true"), options(mode, hanging + 1).build(),
                    onHostFinished(() -> {
                        if (finished.incrementAndGet() == 10) {
                            tenthDone.complete(handle.join().progress());
                        }
                    }));
            handle.complete(run);
            RunProgress atTenth = tenthDone.get(60, TimeUnit.SECONDS);
            assertEquals(30, atTenth.hosts(), atTenth.toString());
            assertEquals(30, atTenth.waiting() + atTenth.running() + atTenth.done(), atTenth.toString());
            assertTrue(atTenth.done() >= 10, atTenth.toString());
            assertTrue(atTenth.running() >= hanging && atTenth.running() <= hanging + 1, atTenth.toString());

            run.cancel();
            RunReport report = run.report().get(60, TimeUnit.SECONDS);
            assertEquals(new RunProgress(30, 0, 0, 30), run.progress());
            for (int i = 0; i < hanging; i++) {
                assertEquals(HostStatus.CANCELLED, report.results().get(i).status());
            }
            for (HostResult result : report.results().subList(hanging, hanging + 10)) {
                assertEquals(HostStatus.OK, result.status(), result.detail());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void theReportCompletesOnTheRunsOwnThread(RunMode mode) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", PASSWORD)
                .withLatencies(Latency.parse("20ms"), Latency.parse("20ms"), Latency.parse("20ms")));
                Fanout fanout = fanout(fleet)) {
            CountDownLatch gate = new CountDownLatch(1);
            RunHandle run = fanout.submit(fleet.hosts(), Task.of("true"), options(mode, 3).build(),
                    new RunListener() {
                        @Override
                        public void runStarted(int count) {
                            awaitQuietly(gate);
                        }
                    });
            CompletableFuture<String> completedOn = run.report().thenApply(report -> Thread.currentThread().getName());
            gate.countDown();
            assertTrue(completedOn.get(60, TimeUnit.SECONDS).startsWith("fanout-run-"), completedOn.get());
            assertTrue(run.report().get().allOk());
        }
    }

    @Test
    void cancellingTheReportsFutureCancelsTheRun() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", PASSWORD));
                Fanout fanout = fanout(fleet)) {
            RunHandle run = fanout.submit(fleet.hosts(), Task.of("sleep 600"), RunOptions.defaults());
            assertTrue(run.report().cancel(true));
            RunReport report = run.report().get(60, TimeUnit.SECONDS);
            assertEquals(3, report.summary().get(HostStatus.CANCELLED) + report.summary().get(HostStatus.SKIPPED),
                    report.summary().toString());
        }
    }

    @Test
    void closingTheClientCancelsItsRunsAndCompletesTheirReports() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", PASSWORD))) {
            Fanout fanout = fanout(fleet);
            RunHandle run = fanout.submit(fleet.hosts(), Task.of("sleep 600"), RunOptions.defaults());
            fanout.close();
            CompletableFuture<RunReport> report = run.report();
            assertTrue(report.isDone(), "close() waits for the runs it cancels");
            for (HostResult result : report.get().results()) {
                assertTrue(List.of("fanout closed", "not started: fanout closed").contains(result.detail()),
                        result.status() + ": " + result.detail());
            }
            assertThrows(IllegalStateException.class,
                    () -> fanout.submit(fleet.hosts(), Task.of("true"), RunOptions.defaults()));
        }
    }

    /**
     * Waits until the run's {@code hosts} running hosts are past their handshakes, in their command: the fleet holds
     * that many sessions and none in its handshake (nothing else connects meanwhile). A run has no event for it.
     */
    private static void awaitInCommand(SimulatedFleet fleet, RunHandle run, int hosts) throws InterruptedException {
        Await.until(() -> hosts + " hosts in their command: " + run.progress() + ", " + fleet.activeSessions()
                + " sessions, " + fleet.handshakesInFlight() + " handshakes",
                () -> run.progress().running() >= hosts
                        && fleet.activeSessions() >= hosts && fleet.handshakesInFlight() == 0);
    }

    /** Waits until the run has {@code hosts} hosts running (a run has no event for a host starting). */
    private static void awaitRunning(RunHandle run, int hosts) throws InterruptedException {
        Await.until(() -> hosts + " hosts running: " + run.progress(), () -> run.progress().running() >= hosts);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertTrue(latch.await(60, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
