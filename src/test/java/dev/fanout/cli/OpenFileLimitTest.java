package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.FanoutProcess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs and fleets bigger than the process's open-file limit ({@code ulimit -n}, lowered for the process under test):
 * each connection is an open file on both sides, and each fleet host a listening socket.
 */
class OpenFileLimitTest {

    private static final String PASSWORD = "open-files-password";

    @TempDir
    Path dir;

    /** The fleet's listening sockets alone would take most of the limit: it says which limit, and how to split. */
    @Test
    void aFleetBeyondTheLimitSaysWhichLimitAndHowToSplitIt() throws Exception {
        ProcessBuilder builder = FanoutProcess.withOpenFileLimit(300, List.of("fleet", "--hosts", "400",
                "--password-env", "FLEET_PASSWORD", "--inventory-out", dir.resolve("inventory.txt").toString()));
        builder.environment().put("FLEET_PASSWORD", PASSWORD);
        FanoutProcess.Finished fleet = FanoutProcess.runToEnd(builder, dir.resolve("fleet.log"), Duration.ofMinutes(1));
        String out = fleet.output();
        assertEquals(2, fleet.exitCode(), out);
        assertTrue(out.startsWith("fanout fleet: cannot serve 400 hosts in one process"), out);
        assertTrue(out.contains("the open-file limit is 300"), out);
        assertTrue(out.contains("--hosts 200 --first-host 0 --port P, and --hosts 200 --first-host 200 --port P"), out);
        assertTrue(out.contains("ulimit -n"), out);
    }

    /** Two fleet processes on one port, each with its share, serve one run as one fleet would. */
    @Test
    void twoFleetProcessesOnOnePortServeOneRun() throws Exception {
        Path first = dir.resolve("first.txt");
        Path second = dir.resolve("second.txt");
        Process one = startFleet(List.of("--hosts", "3", "--inventory-out", first.toString(), "--known-hosts-out",
                dir.resolve("known_hosts").toString()));
        Process two = null;
        try {
            String port = Integer.toString(Host.parse(Files.readAllLines(first).get(0), null).port());
            two = startFleet(List.of("--hosts", "2", "--first-host", "3", "--port", port, "--inventory-out",
                    second.toString(), "--known-hosts-out", dir.resolve("known_hosts_2").toString()));
            assertEquals(List.of("root@127.101.0.4:" + port, "root@127.101.0.5:" + port),
                    Files.readAllLines(second), "hosts 3 and 4, at the addresses they have in one fleet");
            Path inventory = Files.write(dir.resolve("inventory.txt"), concat(first, second));
            Files.write(dir.resolve("known_hosts"), concat(dir.resolve("known_hosts"), dir.resolve("known_hosts_2")));
            Path results = dir.resolve("results.jsonl");
            FanoutProcess.Finished run = FanoutProcess.runToEnd(FanoutProcess.builder(List.of("run", "-i",
                    inventory.toString(), "--password-file", passwordFile().toString(), "--known-hosts",
                    dir.resolve("known_hosts").toString(), "--no-progress", "--out", results.toString(), "-c",
                    "hostname")), dir.resolve("run.log"), Duration.ofMinutes(2));
            String log = run.output();
            assertEquals(0, run.exitCode(), log);
            for (String name : List.of("sim-00000", "sim-00001", "sim-00002", "sim-00003", "sim-00004")) {
                assertTrue(log.contains(": " + name), name + " answered: " + log);
            }
            assertEquals(5, Files.readAllLines(results).size());
        } finally {
            one.destroy();
            if (two != null) {
                two.destroy();
            }
        }
        assertTrue(one.waitFor(1, TimeUnit.MINUTES), "SIGTERM stops the first fleet");
        assertTrue(two.waitFor(1, TimeUnit.MINUTES), "SIGTERM stops the second fleet");
    }

    /**
     * More hosts at once than the client has open files for: it says so, runs fewer at once, and every host ends
     * ok. Without the cap, the connections past the limit failed with "Too many open files".
     */
    @Test
    void aRunOfMoreHostsThanTheLimitRunsFewerAtOnceAndEveryHostEndsOk() throws Exception {
        FleetConfig config = FleetConfig.of(400, "root", Secret.of(PASSWORD))
                .withLatencies(Latency.NONE, Latency.NONE, Latency.parse("1s"));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            Path knownHosts = dir.resolve("known_hosts");
            fleet.writeKnownHosts(knownHosts);
            Path inventory = dir.resolve("inventory.txt");
            fleet.writeInventory(inventory);
            Path results = dir.resolve("results.jsonl");
            FanoutProcess.Finished run = FanoutProcess.runToEnd(FanoutProcess.withOpenFileLimit(320, List.of("run",
                    "-i", inventory.toString(), "--password-file", passwordFile().toString(), "--known-hosts",
                    knownHosts.toString(), "--no-progress", "--out", results.toString(), "-c", "true")),
                    dir.resolve("run.log"), Duration.ofMinutes(3));
            String log = run.output();
            assertEquals(0, run.exitCode(), log);
            assertTrue(log.contains("fanout run: warning: 400 hosts at once need a connection, an open file, each, "
                    + "but the open-file limit is 320"), log);
            assertTrue(log.contains("400 hosts in") && log.contains("400 ok"), log);
            List<String> lines = Files.readAllLines(results);
            assertEquals(400, lines.size());
            assertTrue(lines.stream().allMatch(line -> line.contains("\"status\":\"ok\"")), log);
        }
    }

    private Process startFleet(List<String> options) throws IOException {
        List<String> args = new ArrayList<>(List.of("fleet", "--password-env", "FLEET_PASSWORD"));
        args.addAll(options);
        ProcessBuilder builder = FanoutProcess.builder(args).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("FLEET_PASSWORD", PASSWORD);
        Process fleet = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8));
        String ready = out.readLine();
        assertTrue(ready != null && ready.startsWith("ready "), "the fleet is ready: " + ready);
        return fleet;
    }

    private static List<String> concat(Path first, Path second) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(first));
        lines.addAll(Files.readAllLines(second));
        return lines;
    }

    private Path passwordFile() throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
