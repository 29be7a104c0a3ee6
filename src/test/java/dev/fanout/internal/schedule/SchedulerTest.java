package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.Output;
import dev.fanout.RetryPolicy;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.StepResult;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.HandshakeFailedException;
import dev.fanout.error.HostKeyChangedException;
import dev.fanout.error.SessionLostException;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.Await;
import dev.fanout.testing.Fleets;
import dev.fanout.testing.TestDriver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** The scheduler against the simulated fleet: modes, limits, deadlines, cancellation, retries, nothing lost. */
class SchedulerTest {

    private static final Secret PASSWORD = Secret.of("scheduler-test");
    private static final Task REFERENCE = Task.of("uname -sr",
            "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh",
            "nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &");
    /** Limits no test here is about: far above what a step takes on a loaded machine. */
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    @TempDir
    Path dir;

    /**
     * A client of the fleet whose hung commands outlast the test's own time limit: for tests of what ends them
     * (a deadline, an interrupt), which fail rather than pass late when that fails.
     */
    private Fanout neverTimingOutCommands(SimulatedFleet fleet) {
        return fanout(fleet, TestDriver.MINA, Fanout.builder().timeouts(TIMEOUTS.withCommand(Duration.ofMinutes(10))));
    }

    /** A client with {@link #TIMEOUTS}. */
    private Fanout fanout(SimulatedFleet fleet, TestDriver driver) {
        return fanout(fleet, driver, Fanout.builder().timeouts(TIMEOUTS));
    }

    private Fanout fanout(SimulatedFleet fleet, TestDriver driver, Fanout.Builder builder) {
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        return builder.driver(driver.id()).credentials(Credentials.password(PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build();
    }

    private static RunOptions mode(RunMode mode) {
        return RunOptions.builder().mode(mode).build();
    }

    @Test
    void everyModeGivesTheSameResultsForTwoThousandHosts() throws Exception {
        FleetConfig config = FleetConfig.of(2000, "root", PASSWORD).withKeyboardInteractiveFraction(0.2);
        // Two shared cores run both the fleet and 2,000 clients here. A handshake shares the CPU with every other one
        // in flight: 256 at once (the default) took over 10 s each at load 24 and met the connect limit. 32 at once
        // take no longer in all (the CPU is the bound either way), each a fraction of that; the limits, which this
        // test is not about, are a minute.
        Timeouts patient = new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(60));
        try (SimulatedFleet fleet = SimulatedFleet.start(config);
                Fanout jsch = fanout(fleet, TestDriver.JSCH, Fanout.builder().timeouts(patient));
                Fanout mina = fanout(fleet, TestDriver.MINA, Fanout.builder().timeouts(patient))) {
            List<Host> hosts = fleet.hosts();
            RunReport virtual = jsch.run(hosts, REFERENCE, paced(RunMode.VIRTUAL));
            RunReport platform = jsch.run(hosts, REFERENCE, paced(RunMode.PLATFORM));
            RunReport async = mina.run(hosts, REFERENCE, paced(RunMode.ASYNC));
            RunReport serial = jsch.run(hosts.subList(0, 100), REFERENCE, paced(RunMode.SERIAL));
            for (RunReport report : List.of(virtual, platform, async)) {
                assertEquals(2000, report.results().size());
                assertTrue(report.allOk(), String.valueOf(report.failed().stream().limit(3).toList()));
                assertEquals(hosts, report.results().stream().map(HostResult::host).toList(), "input order kept");
                assertEquals(groups(virtual), groups(report));
            }
            assertTrue(serial.allOk());
            assertEquals(groups(virtual.results().subList(0, 100)), groups(serial.results()));
            assertEquals(8, virtual.groupedOutputs().size(), "one group per simulated kernel version");
        }
    }

    /** The mode with 32 handshakes in flight at most. */
    private static RunOptions paced(RunMode mode) {
        return RunOptions.builder().mode(mode).maxHandshakes(32).build();
    }

    private static Map<String, List<Host>> groups(RunReport report) {
        return report.groupedOutputs();
    }

    private static Map<String, List<Host>> groups(List<HostResult> results) {
        return new RunReport(results, 0, Duration.ZERO).groupedOutputs();
    }

    /**
     * Each fault puts its host in its status, in each mode. The two faults that only a limit ends each run alone with
     * that limit short (the blackhole host a 2 s connect limit, the hung host a 1 s command limit); the other hosts
     * run together, with limits they never near.
     */
    @ParameterizedTest
    @EnumSource(value = RunMode.class, names = {"VIRTUAL", "PLATFORM", "ASYNC"})
    void putsMixedFaultsInTheRightStatuses(RunMode runMode) throws Exception {
        FleetConfig config = FleetConfig.of(10, "root", PASSWORD).withFaults(List.of(
                Fault.on(FaultType.REFUSE, 1), Fault.on(FaultType.BLACKHOLE, 2),
                Fault.on(FaultType.REJECT_CREDENTIALS, 3), Fault.on(FaultType.HOST_KEY_CHANGED, 4),
                Fault.on(FaultType.DROP_MID_COMMAND, 5), Fault.on(FaultType.HANG, 6)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.MINA);
                Fanout shortConnect = fanout(fleet, TestDriver.MINA,
                        Fanout.builder().timeouts(TIMEOUTS.withConnect(Duration.ofSeconds(2))))) {
            List<Host> hosts = fleet.hosts();
            Host blackhole = hosts.get(2);
            Host hung = hosts.get(6);
            Map<Host, HostResult> byHost = new HashMap<>();
            List<Host> together = hosts.stream().filter(host -> !host.equals(blackhole) && !host.equals(hung)).toList();
            Task task = Task.of("uname -sr", "exit 7");
            fanout.run(together, task, mode(runMode)).results().forEach(result -> byHost.put(result.host(), result));
            byHost.put(blackhole, shortConnect.run(List.of(blackhole), task, mode(runMode)).results().get(0));
            Task shortCommand =
                    Task.of(Command.of("uname -sr").withTimeout(Duration.ofSeconds(1)), Command.of("exit 7"));
            byHost.put(hung, fanout.run(List.of(hung), shortCommand, mode(runMode)).results().get(0));
            List<HostResult> results = hosts.stream().map(byHost::get).toList();
            assertEquals(HostStatus.FAILED, results.get(0).status(), "exit 7 fails the host without an exception");
            assertTrue(results.get(0).error().isEmpty());
            assertEquals("exit 7: exit 7", results.get(0).detail());
            assertEquals(2, results.get(0).steps().size());
            assertError(results.get(1), HostStatus.FAILED, ConnectionRefusedException.class);
            assertError(results.get(2), HostStatus.TIMED_OUT, ConnectTimeoutException.class);
            assertError(results.get(3), HostStatus.FAILED, AuthenticationFailedException.class);
            assertError(results.get(4), HostStatus.FAILED, HostKeyChangedException.class);
            assertError(results.get(5), HostStatus.FAILED, SessionLostException.class);
            assertError(results.get(6), HostStatus.TIMED_OUT, CommandTimeoutException.class);
            for (HostResult result : results.subList(7, 10)) {
                assertEquals(HostStatus.FAILED, result.status());
            }
        }
    }

    private static void assertError(HostResult result, HostStatus status, Class<?> type) {
        assertEquals(status, result.status(), result.detail());
        assertInstanceOf(type, result.error().orElseThrow());
        assertTrue(result.detail().contains(result.host().toString()), result.detail());
    }

    /**
     * The run returns at its deadline, its hung hosts TIMED_OUT, the others OK; the hung hosts' commands alone would
     * outlast the test. The deadline leaves the other hosts, four at a time in PLATFORM mode, ample time: they take
     * a fraction of a second at load 20 once the client is warm ({@link #assertOkWarm}).
     */
    @ParameterizedTest
    @EnumSource(value = RunMode.class, names = {"VIRTUAL", "PLATFORM", "ASYNC"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void honoursTheRunDeadlineWhileHostsHang(RunMode runMode) throws Exception {
        FleetConfig config = FleetConfig.of(20, "root", PASSWORD).withFaults(List.of(Fault.on(FaultType.HANG, 3, 11)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = neverTimingOutCommands(fleet)) {
            RunOptions.Builder options = RunOptions.builder().mode(runMode).threads(4);
            assertOkWarm(fanout, fleet, options.build());
            RunReport report = fanout.run(fleet.hosts(), Task.of("uname -sr"),
                    options.runDeadline(Duration.ofSeconds(5)).build());
            assertEquals(HostStatus.TIMED_OUT, report.results().get(3).status());
            assertEquals(HostStatus.TIMED_OUT, report.results().get(11).status());
            assertTrue(report.results().get(3).detail().contains("run deadline passed"),
                    report.results().get(3).detail());
            assertEquals(18, report.summary().get(HostStatus.OK));
        }
    }

    /**
     * A hung host ends at its deadline; the others, which the deadline leaves ample time once the client is warm
     * ({@link #assertOkWarm}), finish.
     */
    @Test
    void honoursTheHostDeadline() throws Exception {
        FleetConfig config = FleetConfig.of(3, "root", PASSWORD).withFaults(List.of(Fault.on(FaultType.HANG, 1)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.JSCH)) {
            assertOkWarm(fanout, fleet, RunOptions.defaults());
            RunReport report = fanout.run(fleet.hosts(), Task.of("uname -sr"),
                    RunOptions.builder().hostDeadline(Duration.ofSeconds(5)).build());
            HostResult hung = report.results().get(1);
            assertEquals(HostStatus.TIMED_OUT, hung.status());
            assertTrue(hung.detail().endsWith("(host deadline passed)"), hung.detail());
            assertEquals(2, report.summary().get(HostStatus.OK));
        }
    }

    /**
     * Runs the task of the deadline tests on the fleet's healthy hosts, without a deadline, and asserts they end OK.
     * This also warms the client up for the run with a deadline: a cold client's first hosts (classes to load, code
     * to compile) took 1.6 s of a 5 s deadline at load 20, a warm client's a few hundred milliseconds.
     */
    private static void assertOkWarm(Fanout fanout, SimulatedFleet fleet, RunOptions options) {
        List<Host> healthy = fleet.hosts().stream()
                .filter(host -> fleet.faultsOf(fleet.hosts().indexOf(host)).isEmpty()).toList();
        RunReport report = fanout.run(healthy, Task.of("uname -sr"), options);
        assertTrue(report.allOk(), String.valueOf(report.failed()));
    }

    /**
     * Interrupted once hosts have finished while others hang, the run returns (the hung commands would outlast the
     * test), every host with its result, none failed.
     */
    @ParameterizedTest
    @EnumSource(value = RunMode.class, names = {"VIRTUAL", "PLATFORM", "ASYNC"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void interruptingTheCallerCancelsPromptlyAndLosesNothing(RunMode runMode) throws Exception {
        FleetConfig config =
                FleetConfig.of(30, "root", PASSWORD).withFaults(List.of(Fault.onFraction(FaultType.HANG, 0.5)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = neverTimingOutCommands(fleet)) {
            CompletableFuture<RunReport> outcome = new CompletableFuture<>();
            CompletableFuture<Boolean> interruptKept = new CompletableFuture<>();
            AtomicInteger finished = new AtomicInteger();
            RunListener counter = new RunListener() {
                @Override
                public void hostFinished(HostResult result) {
                    finished.incrementAndGet();
                }
            };
            Thread caller = Thread.ofPlatform().start(() -> {
                outcome.complete(fanout.run(fleet.hosts(), Task.of("uname -sr"),
                        RunOptions.builder().mode(runMode).threads(5).build(), counter));
                interruptKept.complete(Thread.currentThread().isInterrupted());
            });
            Await.until("a host finished", () -> finished.get() > 0);
            caller.interrupt();
            RunReport report = outcome.get();
            assertTrue(interruptKept.get());
            assertEquals(30, report.results().size());
            Map<HostStatus, Integer> summary = report.summary();
            assertEquals(0, summary.get(HostStatus.FAILED) + summary.get(HostStatus.TIMED_OUT), summary.toString());
            assertTrue(summary.get(HostStatus.OK) > 0, summary.toString());
            assertTrue(summary.get(HostStatus.CANCELLED) + summary.get(HostStatus.SKIPPED) > 0, summary.toString());
            assertEquals(30, summary.get(HostStatus.OK) + summary.get(HostStatus.CANCELLED)
                    + summary.get(HostStatus.SKIPPED));
            report.results().stream().filter(r -> r.status() == HostStatus.CANCELLED)
                    .forEach(r -> assertEquals("interrupted", r.detail()));
            assertEquals(0, Fleets.awaitNoSessions(fleet), "cancelled hosts' sessions are closed");
        }
    }

    @Test
    void failFastSkipsTheRestAfterNFailures() throws Exception {
        FleetConfig config = FleetConfig.of(10, "root", PASSWORD)
                .withFaults(List.of(Fault.on(FaultType.REJECT_CREDENTIALS, 1, 2)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.JSCH)) {
            RunReport report = fanout.run(fleet.hosts(), Task.of("true"),
                    RunOptions.builder().mode(RunMode.SERIAL).failFastAfter(2).build());
            assertEquals(List.of(HostStatus.OK, HostStatus.FAILED, HostStatus.FAILED),
                    report.results().subList(0, 3).stream().map(HostResult::status).toList());
            for (HostResult result : report.results().subList(3, 10)) {
                assertEquals(HostStatus.SKIPPED, result.status());
                assertEquals("not started: fail-fast after 2 failed hosts", result.detail());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = RunMode.class, names = {"VIRTUAL", "ASYNC"})
    void retriesHandshakesDroppedByMaxStartupsAndShowsTheRetries(RunMode runMode) throws Exception {
        FleetConfig config = FleetConfig.of(12, "root", PASSWORD).withMaxStartups(3)
                .withLatencies(Latency.parse("300ms"), Latency.NONE, Latency.NONE);
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.MINA)) {
            RunReport without = fanout.run(fleet.hosts(), Task.of("true"), mode(runMode));
            assertTrue(without.failed().stream()
                    .allMatch(r -> r.error().orElseThrow() instanceof HandshakeFailedException),
                    String.valueOf(without.failed()));
            assertFalse(without.failed().isEmpty(), "MaxStartups drops handshakes");

            RetryPolicy retry = new RetryPolicy(20, Duration.ofMillis(50), Duration.ofMillis(400), 0.5, false);
            RunReport with = fanout.run(fleet.hosts(), Task.of("true"),
                    RunOptions.builder().mode(runMode).retry(retry).build());
            assertTrue(with.allOk(), String.valueOf(with.failed()));
            List<HostResult> retried = with.results().stream().filter(r -> r.attempts() > 1).toList();
            assertFalse(retried.isEmpty());
            retried.forEach(r -> {
                assertEquals(r.attempts() - 1, r.retried().size());
                assertTrue(r.retried().stream().allMatch(e -> e instanceof HandshakeFailedException));
            });
        }
    }

    @ParameterizedTest
    @EnumSource(value = RunMode.class, names = {"VIRTUAL", "ASYNC"})
    void aHandshakeLimitKeepsWithinMaxStartupsWithoutRetries(RunMode runMode) throws Exception {
        FleetConfig config = FleetConfig.of(12, "root", PASSWORD).withMaxStartups(3)
                .withLatencies(Latency.parse("100ms"), Latency.NONE, Latency.NONE);
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.MINA)) {
            RunReport report = fanout.run(fleet.hosts(), Task.of("true"),
                    RunOptions.builder().mode(runMode).maxHandshakes(3).build());
            assertTrue(report.allOk(), String.valueOf(report.failed()));
        }
    }

    @Test
    void keepsHostsInFlightWithinTheLimit() throws Exception {
        FleetConfig config = FleetConfig.of(12, "root", PASSWORD)
                .withLatencies(Latency.NONE, Latency.NONE, Latency.parse("150ms"));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.JSCH)) {
            AtomicInteger peak = new AtomicInteger();
            Thread sampler = Thread.ofVirtual().start(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(fleet.activeSessions(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            long start = System.nanoTime();
            RunReport report = fanout.run(fleet.hosts(), Task.of("true", "true"),
                    RunOptions.builder().maxInFlight(2).build());
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            sampler.interrupt();
            sampler.join();
            assertTrue(report.allOk());
            // Each host runs two 150 ms commands: 12 hosts, 2 at a time, cannot finish in less than 6 x 300 ms (3 at
            // a time would take 1.2 s). A lower bound on simulated time, so not flaky.
            assertTrue(elapsedMillis >= 1_750, "12 hosts two at a time took only " + elapsedMillis + " ms");
            // The fleet sees a session's close a moment after the client moved on, later on a loaded machine: each of
            // the two places may hold a session closing beside the next one (no limit would show 12).
            assertTrue(peak.get() >= 1 && peak.get() <= 4, "peak sessions " + peak.get());
        }
    }

    @Test
    void runsBatchesOneAfterAnotherWithTheReferenceControls() throws Exception {
        FleetConfig config = FleetConfig.of(9, "root", PASSWORD)
                .withLatencies(Latency.NONE, Latency.NONE, Latency.parse("10ms..100ms"));
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, TestDriver.MINA)) {
            List<Integer> finishOrder = Collections.synchronizedList(new ArrayList<>());
            RunListener recorder = new RunListener() {
                @Override
                public void hostFinished(HostResult result) {
                    finishOrder.add(fleet.hosts().indexOf(result.host()));
                }
            };
            RunReport report = fanout.run(fleet.hosts(), Task.of("true"), RunOptions.builder().batchSize(3)
                    .batchInterval(Duration.ofMillis(200)).batchesConcurrent(false).build(), recorder);
            assertTrue(report.allOk());
            for (int batch = 0; batch < 3; batch++) {
                List<Integer> members = finishOrder.subList(batch * 3, batch * 3 + 3);
                for (int index : members) {
                    assertEquals(batch, index / 3,
                            "batch " + batch + " finished before the next began: " + finishOrder);
                }
            }
            assertTrue(report.duration().toMillis() >= 400, "two intervals between three batches");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"JSCH, VIRTUAL", "MINA, ASYNC", "MINA, SERIAL"})
    void theOutputBudgetCapsWhatTheWholeRunKeeps(TestDriver driver, RunMode runMode) throws Exception {
        String line = "x".repeat(999);
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(10, "root", PASSWORD));
                Fanout fanout = fanout(fleet, driver)) {
            RunReport report = fanout.run(fleet.hosts(), Task.of("echo " + line),
                    RunOptions.builder().mode(runMode).outputBudget(4_500).build());
            assertTrue(report.allOk(), String.valueOf(report.failed()));
            List<Output> outputs = report.results().stream()
                    .map(result -> ((StepResult.Executed) result.steps().get(0)).exec().stdout()).toList();
            assertTrue(outputs.stream().allMatch(output -> output.totalBytes() == 1_000), "every count is kept");
            assertEquals(4_500, outputs.stream().mapToInt(Output::size).sum(), "the run keeps its budget, no more");
            assertTrue(outputs.stream().allMatch(output -> (line + "\n").startsWith(output.text())), "prefixes");
            List<Output> cut = outputs.stream().filter(output -> output.size() < 1_000).toList();
            assertTrue(cut.size() >= 6, "4,500 bytes cannot hold more than 4 of 10 outputs of 1,000: " + outputs);
            assertTrue(cut.stream().allMatch(Output::truncated));
        }
    }

    @Test
    void aThrowingListenerCannotBreakTheRun() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(5, "root", PASSWORD));
                Fanout fanout = fanout(fleet, TestDriver.JSCH)) {
            AtomicInteger calls = new AtomicInteger();
            RunListener broken = new RunListener() {
                @Override
                public void hostFinished(HostResult result) {
                    calls.incrementAndGet();
                    throw new IllegalStateException("listener bug");
                }

                @Override
                public void runFinished(RunReport report) {
                    throw new IllegalStateException("listener bug");
                }
            };
            RunReport report = fanout.run(fleet.hosts(), Task.of("true"), RunOptions.defaults(), broken);
            assertTrue(report.allOk());
            assertEquals(5, calls.get());
        }
    }

    @Test
    void mergesDuplicateHostsIntoTheirFirstPosition() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", PASSWORD));
                Fanout fanout = fanout(fleet, TestDriver.JSCH)) {
            List<Host> hosts = fleet.hosts();
            RunReport report = fanout.run(List.of(hosts.get(2), hosts.get(0), hosts.get(2), hosts.get(1), hosts.get(0)),
                    Task.of("hostname"));
            assertEquals(List.of(hosts.get(2), hosts.get(0), hosts.get(1)),
                    report.results().stream().map(HostResult::host).toList());
            assertEquals(2, report.duplicatesRemoved());
        }
    }

    @Test
    void refusesAsyncModeWithJsch() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                Fanout fanout = fanout(fleet, TestDriver.JSCH)) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> fanout.run(fleet.hosts(), Task.of("true"), mode(RunMode.ASYNC)));
            assertTrue(error.getMessage().contains("ASYNC mode needs"), error.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(value = RunMode.class, names = {"SERIAL", "PLATFORM", "VIRTUAL", "ASYNC"})
    void leavesNoThreadsOrSessionsBehind(RunMode runMode) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(40, "root", PASSWORD));
                Fanout fanout = fanout(fleet, TestDriver.MINA)) {
            RunReport report = fanout.run(fleet.hosts(), Task.of("true"), RunOptions.builder().mode(runMode)
                    .threads(8).build());
            assertTrue(report.allOk());
            assertEquals(0, Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith("fanout-worker") || name.startsWith("fanout-host")
                            || name.startsWith("fanout-async"))
                    .count());
            assertEquals(0, Fleets.awaitNoSessions(fleet));
        }
    }
}
