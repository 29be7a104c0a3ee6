package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.pool.DirectSessions;
import dev.fanout.spi.SshDriver;
import dev.fanout.testing.ThrowingDriver;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * ASYNC mode keeps fanout's own work off MINA's I/O and timer threads: connect starts on its workers, listener calls
 * on the run's listener threads.
 */
class AsyncWorkersTest {

    private static final Secret PASSWORD = Secret.of("async-workers-test");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void connectsStartAndTheListenerHearsOnFanoutsOwnThreads() throws Exception {
        Queue<String> connectThreads = new ConcurrentLinkedQueue<>();
        Queue<String> listenerThreads = new ConcurrentLinkedQueue<>();
        RunListener recorder = new RunListener() {
            @Override
            public void hostFinished(HostResult result) {
                listenerThreads.add(Thread.currentThread().getName());
            }
        };
        // Latency makes every step end on one of MINA's threads; one handshake at a time makes each connect but
        // the first start when another host's connect ends, which happens on one of MINA's threads too.
        FleetConfig config = FleetConfig.of(8, "root", PASSWORD)
                .withLatencies(Latency.parse("20ms"), Latency.parse("20ms"), Latency.parse("20ms"));
        Path knownHosts = dir.resolve("known_hosts");
        try (SimulatedFleet fleet = SimulatedFleet.start(config);
                // Breaks no host: the predicate, asked on the thread that calls connectAsync, records that thread.
                SshDriver driver = new ThrowingDriver(host -> !connectThreads.add(Thread.currentThread().getName()),
                        ThrowingDriver.Where.CONNECT, AssertionError::new)) {
            fleet.writeKnownHosts(knownHosts);
            FanoutSetup setup = new FanoutSetup(driver, host -> Credentials.password(PASSWORD),
                    HostKeyVerifiers.forPolicy(HostKeyPolicy.strict(knownHosts)), Timeouts.DEFAULTS, 1 << 20,
                    new DirectSessions(driver));
            RunReport report;
            try (Scheduler scheduler = new Scheduler(setup, 0)) {
                report = scheduler.submit(fleet.hosts().stream().map(Target::of).toList(), Task.of("true"),
                        RunOptions.builder().mode(RunMode.ASYNC).maxHandshakes(1).build(), recorder).awaitReport();
            }
            assertTrue(report.allOk(), String.valueOf(report.failed()));
        }
        assertEquals(8, connectThreads.size());
        assertEquals(8, listenerThreads.size());
        for (String thread : connectThreads) {
            assertTrue(thread.startsWith("fanout-async-"), "connects " + connectThreads);
        }
        for (String thread : listenerThreads) {
            assertTrue(thread.startsWith("fanout-listener-"), "listener " + listenerThreads);
        }
    }
}
