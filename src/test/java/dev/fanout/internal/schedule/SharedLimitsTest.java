package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Limits that belong to the client, against the simulated fleet, which counts the handshakes in flight it sees: the
 * client's handshake limit holds across concurrent runs, and is shared fairly between them.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SharedLimitsTest {

    private static final Secret PASSWORD = Secret.of("shared-limits-test");

    @TempDir
    Path dir;

    private Fanout fanout(SimulatedFleet fleet, int maxHandshakes) {
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().credentials(Credentials.password(PASSWORD)).maxHandshakes(maxHandshakes)
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build();
    }

    /**
     * Each run alone may set up 256 connections at once (the per-run default); together they stay within the
     * client's limit, which the fleet enforces too, as OpenSSH's MaxStartups would (a handshake beyond it is dropped
     * and its host fails). Two serial runs need a limit of one to be held back.
     */
    @ParameterizedTest(name = "{0}: {2} hosts twice, at most {1}")
    @CsvSource({"SERIAL, 1, 150", "PLATFORM, 16, 1000", "VIRTUAL, 16, 1000", "ASYNC, 16, 1000"})
    void twoConcurrentRunsStayWithinTheClientsHandshakeLimit(RunMode mode, int limit, int hosts) throws Exception {
        FleetConfig config = FleetConfig.of(hosts, "root", PASSWORD).withMaxStartups(limit);
        try (SimulatedFleet fleet = SimulatedFleet.start(config); Fanout fanout = fanout(fleet, limit)) {
            RunOptions options = RunOptions.builder().mode(mode).threads(50).build();
            RunHandle first = fanout.submit(fleet.hosts(), Task.of("true"), options);
            RunHandle second = fanout.submit(fleet.hosts(), Task.of("true"), options);
            for (RunHandle run : List.of(first, second)) {
                RunReport report = run.report().get(240, TimeUnit.SECONDS);
                assertTrue(report.allOk(), report.summary() + " " + report.failed().stream().limit(3).toList());
            }
            int peak = fleet.peakHandshakesInFlight();
            assertTrue(peak <= limit, "the fleet saw " + peak + " handshakes at once, beyond the client's " + limit);
            assertTrue(peak >= Math.min(2, limit), "the runs did overlap: peak " + peak);
        }
    }

    /**
     * A run of 10 hosts submitted while one of 2,000 waits for handshake permits gets every other permit, so it
     * finishes while most of the big run is still to do; behind a first-come-first-served queue it would wait for
     * nearly all 2,000. Measured by what the big run has done when the small one completes, not by time.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void aSmallRunSubmittedAfterABigOneFinishesLongBeforeIt(RunMode mode) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(2000, "root", PASSWORD));
                Fanout fanout = fanout(fleet, 8)) {
            List<Host> hosts = fleet.hosts();
            CountDownLatch bigGoing = new CountDownLatch(1);
            RunHandle big = fanout.submit(hosts, Task.of("true"), RunOptions.builder().mode(mode).threads(50).build(),
                    new RunListener() {
                        @Override
                        public void hostFinished(HostResult result) {
                            bigGoing.countDown();
                        }
                    });
            assertTrue(bigGoing.await(120, TimeUnit.SECONDS));
            RunHandle small = fanout.submit(hosts.subList(1990, 2000), Task.of("true"),
                    RunOptions.builder().mode(mode).build());
            CompletableFuture<RunProgress> bigWhenSmallDone = small.report().thenApply(report -> big.progress());

            RunReport smallReport = small.report().get(120, TimeUnit.SECONDS);
            assertTrue(smallReport.allOk(), String.valueOf(smallReport.failed()));
            RunProgress bigThen = bigWhenSmallDone.get(10, TimeUnit.SECONDS);
            assertTrue(bigThen.done() < 1000, "the small run finished only when the big one had done " + bigThen);

            big.cancel();
            RunReport bigReport = big.report().get(120, TimeUnit.SECONDS);
            assertEquals(2000, bigReport.results().size());
            assertTrue(bigReport.results().stream().allMatch(result -> Set
                    .of(HostStatus.OK, HostStatus.CANCELLED, HostStatus.SKIPPED).contains(result.status())),
                    bigReport.summary().toString());
        }
    }
}
