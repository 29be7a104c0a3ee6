package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Secret;
import dev.fanout.testing.FanoutProcess;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code fanout fleet} as users run it: a separate process, stopped with SIGTERM. */
class FleetCommandTest {

    @TempDir
    Path dir;

    private Process start(List<String> args) throws Exception {
        ProcessBuilder builder = FanoutProcess.builder(args).redirectError(dir.resolve("stderr.txt").toFile());
        builder.environment().put("FLEET_PASSWORD", "from-the-environment");
        return builder.start();
    }

    @Test
    void writesItsFilesSaysReadyServesAndStopsOnSigterm() throws Exception {
        Path inventory = dir.resolve("inventory.txt");
        Path knownHosts = dir.resolve("known_hosts");
        Process fleet = start(List.of("fleet", "--hosts", "25", "--latency", "5ms..20ms", "--user", "deploy",
                "--password-env", "FLEET_PASSWORD", "--inventory-out", inventory.toString(),
                "--known-hosts-out", knownHosts.toString()));
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(fleet.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("ready 25 hosts", out.readLine());
            List<String> lines = Files.readAllLines(inventory);
            assertEquals(25, lines.size());
            assertEquals(25, Files.readAllLines(knownHosts).size());
            Host last = Host.parse(lines.get(24), null);
            assertEquals("deploy", last.user());
            assertEquals("127.101.0.25", last.address());
            try (Fanout fanout = Fanout.builder().credentials(Credentials.password(Secret.of("from-the-environment")))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build()) {
                assertEquals("deploy\n", fanout.exec(last, Command.of("whoami")).stdout().text());
            }
            String stderr = Files.readString(dir.resolve("stderr.txt"));
            assertFalse(stderr.contains("from-the-environment"), "the password is never printed: " + stderr);
        } finally {
            fleet.destroy();
        }
        // A bound only against a fleet that never stops: a loaded machine may take seconds to end a JVM.
        assertTrue(fleet.waitFor(1, TimeUnit.MINUTES), "SIGTERM stops the fleet");
    }

    @Test
    void rejectsBadInputWithOneLineAndExitCode2() {
        assertBadInput("hosts must be within", "fleet", "--hosts", "0", "--password-env", "PATH",
                "--inventory-out", dir.resolve("i").toString());
        assertBadInput("give --password-env", "fleet", "--hosts", "3", "--inventory-out", dir.resolve("i").toString());
        assertBadInput("cannot read scenario", "fleet", "--scenario", dir.resolve("none.yaml").toString(),
                "--password-env", "PATH", "--inventory-out", dir.resolve("i").toString());
        assertBadInput("invalid duration", "fleet", "--latency", "fast", "--password-env", "PATH",
                "--inventory-out", dir.resolve("i").toString());
        assertBadInput("Missing required option: '--inventory-out=FILE'", "fleet", "--hosts", "3");
        assertBadInput("Unknown options: '--hostz'", "fleet", "--hostz", "3", "--inventory-out",
                dir.resolve("i").toString());
        assertBadInput("Try 'fanout fleet --help'", "fleet", "--hostz", "3");
        assertFalse(Files.exists(dir.resolve("i")), "nothing was written");
    }

    private static void assertBadInput(String expected, String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = FanoutCommand.commandLine();
        line.setErr(new PrintWriter(err));
        line.setOut(new PrintWriter(new StringWriter()));
        assertEquals(2, line.execute(args), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
        assertTrue(err.toString().lines().count() <= 2, "a clear short error: " + err);
    }
}
