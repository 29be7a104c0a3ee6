package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.FanoutProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
            Process run = FanoutProcess.withOpenFileLimit(320, List.of("run", "-i", inventory.toString(),
                    "--password-file", passwordFile().toString(), "--known-hosts", knownHosts.toString(),
                    "--no-progress", "--out", results.toString(), "-c", "true")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("run.log").toFile()).start();
            assertTrue(run.waitFor(3, TimeUnit.MINUTES), "the run ends");
            String log = Files.readString(dir.resolve("run.log"));
            assertEquals(0, run.exitValue(), log);
            assertTrue(log.contains("fanout run: warning: 400 hosts at once need a connection, an open file, each, "
                    + "but the open-file limit is 320"), log);
            assertTrue(log.contains("400 hosts in") && log.contains("400 ok"), log);
            List<String> lines = Files.readAllLines(results);
            assertEquals(400, lines.size());
            assertTrue(lines.stream().allMatch(line -> line.contains("\"status\":\"ok\"")), log);
        }
    }

    private Path passwordFile() throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
