package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.FanoutProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a short run does before its first host, seen in the JVM's log of class initialisations of a real
 * {@code fanout run} against the simulated fleet: the driver's library is initialised on a thread of its own while
 * the command line is read, and the flight recorder's event classes only when a recording is on.
 */
class StartUpWorkTest {

    private static final String PASSWORD = "start-up-password";
    private static final String PREPARATION = "by thread \"fanout-driver-preparation\"";
    private static final List<String> EVENT_CLASSES = List.of("HostEvent", "ConnectEvent", "AuthEvent", "StepEvent");

    @TempDir
    Path dir;

    @Test
    void theDriverIsPreparedBesideTheCommandLineAndEventsWaitForARecording() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(2, "root", Secret.of(PASSWORD)))) {
            List<String> initialised = run(fleet, "plain", List.of());
            assertTrue(initialised.stream().anyMatch(line -> line.contains("'org/apache/sshd/common/BaseBuilder'")
                    && line.contains(PREPARATION)), "MINA's builders initialised by the preparation");
            for (String event : EVENT_CLASSES) {
                assertFalse(initialised.stream().anyMatch(line -> line.contains("/events/" + event + "'")),
                        event + " is not initialised without a recording");
            }

            List<String> recorded = run(fleet, "recorded",
                    List.of("-XX:StartFlightRecording:filename=" + dir.resolve("run.jfr")));
            for (String event : EVENT_CLASSES) {
                assertTrue(recorded.stream().anyMatch(line -> line.contains("/events/" + event + "'")),
                        event + " is initialised under a recording");
            }
        }
    }

    @Test
    void aRunOnJschPreparesNothingOfMina() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(2, "root", Secret.of(PASSWORD)))) {
            List<String> initialised = run(fleet, "jsch", List.of(), "--driver=jsch");
            assertFalse(initialised.stream().anyMatch(line -> line.contains("'org/apache/sshd/")),
                    "no MINA class initialised");
        }
    }

    @Test
    void readsTheDriverFromTheArgumentsAsTheyAre() {
        assertEquals("mina", DriverPreparation.driverNamed(new String[] {"run", "-c", "true"}));
        assertEquals("jsch", DriverPreparation.driverNamed(new String[] {"run", "--driver", "jsch", "-c", "true"}));
        assertEquals("JSCH", DriverPreparation.driverNamed(new String[] {"copy", "--driver=JSCH", "a", "b"}));
        assertEquals("mina", DriverPreparation.driverNamed(new String[] {"run", "-c", "x", "--", "--driver=jsch"}));
        assertEquals("mina", DriverPreparation.driverNamed(new String[] {"run", "--driver"}));
    }

    /** The class initialisations of {@code fanout run} over the fleet's hosts, after checking that it succeeded. */
    private List<String> run(SimulatedFleet fleet, String name, List<String> jvmOptions, String... options)
            throws IOException, InterruptedException {
        Path inventory = dir.resolve("inventory.txt");
        fleet.writeInventory(inventory);
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        Path password = dir.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path log = dir.resolve(name + "-init.log");
        List<String> jvm = new ArrayList<>(List.of("-Xlog:class+init=info:file=" + log));
        jvm.addAll(jvmOptions);
        List<String> args = new ArrayList<>(List.of("run", "-i", inventory.toString(), "--password-file",
                password.toString(), "--known-hosts", knownHosts.toString(), "--no-progress", "-c", "true"));
        args.addAll(List.of(options));
        FanoutProcess.Finished finished = FanoutProcess.runToEnd(FanoutProcess.builder(jvm, args),
                dir.resolve(name + ".log"), Duration.ofMinutes(2));
        assertEquals(0, finished.exitCode(), finished.output());
        assertTrue(finished.output().contains("2 ok"), finished.output());
        return Files.readAllLines(log).stream().filter(line -> line.contains(" Initializing '")).toList();
    }
}
