package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.pool.DirectSessions;
import dev.fanout.spi.SshDriver;
import dev.fanout.testing.ThrowingDriver;
import dev.fanout.testing.ThrowingDriver.Where;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * No Error can hang a run: whatever a host's driver or the run's listener throws, in every mode, the run returns
 * with one result per host, and a host that met an Error names it. A regression hangs, so each test has a time
 * limit far above its usual second.
 */
class ErrorsInHostsTest {

    private static final Secret PASSWORD = Secret.of("errors-in-hosts-test");
    private static final int HOSTS = 6;
    private static final Set<Integer> BROKEN = Set.of(1, 4);

    @TempDir
    Path dir;

    private static RunOptions options(RunMode mode) {
        // One handshake and two threads at a time: a host that died holding either would stall all the others.
        return RunOptions.builder().mode(mode).threads(2).maxHandshakes(1).build();
    }

    private RunReport run(SimulatedFleet fleet, SshDriver driver, RunOptions options, RunListener listener) {
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        FanoutSetup setup = new FanoutSetup(driver, host -> Credentials.password(PASSWORD),
                HostKeyVerifiers.forPolicy(HostKeyPolicy.strict(knownHosts)),
                new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(60)), 1 << 20,
                new DirectSessions(driver));
        try (Scheduler scheduler = new Scheduler(setup, 0)) {
            return scheduler.submit(fleet.hosts().stream().map(Target::of).toList(), Task.of("true"), options, listener)
                    .awaitReport();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anErrorWhileConnectingEndsOnlyItsHostAndNamesTheError(RunMode mode) throws Exception {
        assertBrokenHostsFail(mode, Where.CONNECT,
                () -> new NoClassDefFoundError("org/bouncycastle/pkcs/PKCSException"),
                "internal error: java.lang.NoClassDefFoundError: org/bouncycastle/pkcs/PKCSException");
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void runningOutOfMemoryInACommandEndsOnlyItsHost(RunMode mode) throws Exception {
        assertBrokenHostsFail(mode, Where.EXEC, () -> new OutOfMemoryError("Java heap space"),
                "internal error: java.lang.OutOfMemoryError: Java heap space; the JVM's heap (at most "
                        + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB) is too small for what the run "
                        + "holds: give it more (-Xmx; FANOUT_JAVA_OPTS for the command line), or keep less (the output "
                        + "budget, --output-budget; fewer hosts at once, --max-in-flight)");
    }

    private void assertBrokenHostsFail(RunMode mode, Where where, Supplier<Error> error, String detail)
            throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(HOSTS, "root", PASSWORD))) {
            List<Host> hosts = fleet.hosts();
            try (SshDriver driver = new ThrowingDriver(host -> BROKEN.contains(hosts.indexOf(host)), where, error)) {
                RunReport report = run(fleet, driver, options(mode), new RunListener() {});
                assertEquals(hosts, report.results().stream().map(HostResult::host).toList());
                for (int i = 0; i < HOSTS; i++) {
                    HostResult result = report.results().get(i);
                    if (BROKEN.contains(i)) {
                        assertEquals(HostStatus.FAILED, result.status(), result.detail());
                        assertEquals(detail, result.detail());
                    } else {
                        assertEquals(HostStatus.OK, result.status(), result.detail());
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aListenerThatThrowsErrorsLosesNoHost(RunMode mode) throws Exception {
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger runsFinished = new AtomicInteger();
        RunListener broken = new RunListener() {
            @Override
            public void hostFinished(HostResult result) {
                switch (finished.getAndIncrement() % 3) {
                    case 0 -> throw new OutOfMemoryError("Java heap space");
                    case 1 -> throw new StackOverflowError();
                    default -> throw new NoClassDefFoundError("com/example/Missing");
                }
            }

            @Override
            public void runFinished(RunReport report) {
                runsFinished.incrementAndGet();
                throw new OutOfMemoryError("Java heap space");
            }
        };
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(HOSTS, "root", PASSWORD));
                SshDriver driver = new ThrowingDriver(host -> false, Where.CONNECT, AssertionError::new)) {
            RunReport report = run(fleet, driver, options(mode), broken);
            assertEquals(HOSTS, report.results().size());
            assertTrue(report.allOk(), String.valueOf(report.failed()));
            assertEquals(HOSTS, finished.get(), "the listener heard of every host");
            assertEquals(1, runsFinished.get());
        }
    }
}
