package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.FanoutProcess;
import dev.fanout.testing.TestDriver;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code fanout copy} and {@code fanout fetch} end to end against the simulated fleet. */
class TransferCommandTest {

    private static final String PASSWORD = "transfer-command-test";

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = FanoutCommand.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args.toArray(String[]::new));
        return new Outcome(code, out.toString(), err.toString());
    }

    private List<String> common(String command, SimulatedFleet fleet) throws IOException {
        Path password = dir.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        Path inventory = dir.resolve("hosts.txt");
        fleet.writeInventory(inventory);
        return new ArrayList<>(List.of(command, "-i", inventory.toString(), "--password-file", password.toString(),
                "--known-hosts", knownHosts.toString(), "--no-progress"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String text) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
    }

    @Test
    void copiesFilesIntoADirectoryThenFetchesOneBackPerHost() throws Exception {
        Path agent = Files.writeString(dir.resolve("agent.sh"), "echo agent\n");
        Path config = Files.writeString(dir.resolve("agent.conf"), "port=8080\n");
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(10, "root", Secret.of(PASSWORD)))) {
            List<String> copy = common("copy", fleet);
            copy.addAll(List.of("--mode", "0755", "--format", "json", "--sha256", agent.toString(), config.toString(),
                    "/opt/agent/"));
            Outcome copied = run(copy);
            assertEquals(0, copied.exitCode(), copied.err() + copied.out());
            Map<String, Object> report = json(copied.out());
            List<?> hosts = (List<?>) report.get("hosts");
            assertEquals(10, hosts.size());
            for (Object entry : hosts) {
                Map<?, ?> host = (Map<?, ?>) entry;
                assertEquals("ok", host.get("status"));
                List<?> steps = (List<?>) host.get("steps");
                assertEquals(List.of("upload", "upload"),
                        steps.stream().map(step -> ((Map<?, ?>) step).get("type")).toList());
                Map<?, ?> first = (Map<?, ?>) steps.get(0);
                assertEquals("/opt/agent/agent.sh", first.get("remotePath"));
                assertEquals(11, ((Number) first.get("bytes")).intValue());
                assertEquals(64, String.valueOf(first.get("sha256")).length());
            }

            List<String> check = common("run", fleet);
            check.addAll(List.of("--group", "-c", "test -x /opt/agent/agent.sh && cat /opt/agent/agent.conf"));
            Outcome checked = run(check);
            assertEquals(0, checked.exitCode(), checked.err() + checked.out());
            assertTrue(checked.out().contains("port=8080"), checked.out());

            Path fetched = dir.resolve("fetched");
            List<String> fetch = common("fetch", fleet);
            fetch.addAll(List.of("/opt/agent/agent.conf", fetched.toString()));
            Outcome got = run(fetch);
            assertEquals(0, got.exitCode(), got.err() + got.out());
            try (var files = Files.list(fetched)) {
                List<Path> all = files.toList();
                assertEquals(10, all.size(), all.toString());
                for (Path file : all) {
                    assertEquals("port=8080\n", Files.readString(file));
                }
            }
            assertTrue(Files.exists(fetched.resolve(dev.fanout.Step.localName(fleet.hosts().get(3)))));
        }
    }

    @Test
    void refusesAMissingSourceAndABadModeBeforeContactingAnyHost() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(2, "root", Secret.of(PASSWORD)))) {
            List<String> missing = common("copy", fleet);
            missing.addAll(List.of(dir.resolve("nope.sh").toString(), "/opt"));
            Outcome outcome = run(missing);
            assertEquals(2, outcome.exitCode());
            assertTrue(
                    outcome.err().contains("fanout copy: not a readable file: ") && outcome.err().contains("nope.sh"),
                    outcome.err());
            Path file = Files.writeString(dir.resolve("ok.sh"), "x");
            List<String> badMode = common("copy", fleet);
            badMode.addAll(List.of("--mode", "rwx", file.toString(), "/opt"));
            outcome = run(badMode);
            assertEquals(2, outcome.exitCode());
            assertTrue(outcome.err().contains("--mode must be octal"), outcome.err());
            assertEquals(0, fleet.activeSessions(), "no host was contacted");
        }
    }

    /**
     * A 200 MB upload by a client process limited to a 64 MB heap, with each driver: streaming, so it succeeds and
     * the fleet holds exactly the bytes sent (checked by size here and by SHA-256 in the step).
     */
    @Test
    void uploadsTwoHundredMegabytesWithABoundedClientHeap() throws Exception {
        Path big = dir.resolve("big.bin");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 200; i++) {
                java.util.Arrays.fill(block, (byte) i);
                file.write(block);
            }
        }
        for (TestDriver driver : TestDriver.values()) {
            // A fleet each: the fleet keeps the file in this JVM's memory.
            try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", Secret.of(PASSWORD)))) {
                List<String> args = common("copy", fleet);
                args.addAll(List.of("--driver", driver.id(), "--sha256", "--format", "json", big.toString(), "/data"));
                ProcessBuilder builder = FanoutProcess.builder(args);
                builder.command().add(1, "-Xmx64m");
                builder.redirectErrorStream(true);
                Process process = builder.start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(3, TimeUnit.MINUTES));
                assertEquals(0, process.exitValue(), driver + ": " + output);
                assertTrue(output.contains("\"bytes\":209715200"), output);
            }
        }
    }
}
