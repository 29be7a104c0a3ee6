package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * What hosts send never reaches the terminal as control characters: text output shows them as {@code \xHH}
 * (a clipboard write by OSC 52, a screen clear, a carriage return that overwrites another host's line), JSON keeps
 * them, escaped as JSON.
 */
class TerminalOutputTest {

    private static final String PASSWORD = "terminal-output-test";

    /** OSC 52 (set the clipboard), BEL, clear the screen, CR, C1 CSI, DEL, a tab, and text. */
    private static final String HOSTILE = "\u001b]52;c;aGk=\u0007\u001b[2J\rx\u009by\u007f\tz";
    private static final String SHOWN = "\\x1b]52;c;aGk=\\x07\\x1b[2J\\x0dx\\x9by\\x7f\tz";

    @TempDir
    Path dir;

    private List<String> args(String target, String... extra) throws IOException {
        Path password = dir.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path knownHosts = dir.resolve("known_hosts");
        if (!Files.exists(knownHosts)) {
            Files.writeString(knownHosts, "");
        }
        List<String> all = new ArrayList<>(List.of("run", "-H", target, "--password-file", password.toString(),
                "--known-hosts", knownHosts.toString(), "--no-progress"));
        all.addAll(List.of(extra));
        return all;
    }

    @Test
    void escapesControlCharactersInCommandOutputAndKeepsThemInJson() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(2, "root", Secret.of(PASSWORD)))) {
            fleet.writeKnownHosts(dir.resolve("known_hosts"));
            String target = "root@127.101.0.[1-2]:" + fleet.port();
            String command = "printf '\\033]52;c;aGk=\\007\\033[2J\\015x\\302\\233y\\177\\tz\\n'; "
                    + "printf 'ok\\015\\n'";

            CliRun text = CliRun.of(args(target, "-c", command).toArray(String[]::new));
            assertEquals(0, text.exitCode(), text.err());
            for (String host : List.of("127.101.0.1", "127.101.0.2")) {
                String name = host + ":" + fleet.port() + ": ";
                assertTrue(text.out().contains(name + SHOWN + "\n" + name + "ok\n"), "a CR that ends a line "
                        + "ends it: " + text.out());
            }
            assertNoControlCharacters(text.out());

            CliRun grouped = CliRun.of(args(target, "-c", command, "--group").toArray(String[]::new));
            assertEquals(0, grouped.exitCode(), grouped.err());
            assertTrue(grouped.out().contains("\n" + SHOWN + "\nok\n"), grouped.out());
            assertNoControlCharacters(grouped.out());

            CliRun json = CliRun.of(args(target, "-c", command, "--format", "json").toArray(String[]::new));
            assertEquals(0, json.exitCode(), json.err());
            assertNoControlCharacters(json.out());
            List<?> hosts = (List<?>) ((Map<?, ?>) parse(json.out())).get("hosts");
            for (Object host : hosts) {
                Map<?, ?> step = (Map<?, ?>) ((List<?>) ((Map<?, ?>) host).get("steps")).get(0);
                assertEquals(HOSTILE + "\nok\r\n", step.get("stdout"));
            }
        }
    }

    /** A server whose first line is hostile: MINA quotes it in its error, which text output shows escaped. */
    @Test
    void escapesControlCharactersInErrorMessagesFromAServer() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        try (Socket client = server.accept(); InputStream in = client.getInputStream()) {
                            client.getOutputStream().write((HOSTILE + "\r\nSSH-2.0-x\r\n")
                                    .getBytes(StandardCharsets.UTF_8));
                            in.transferTo(OutputStream.nullOutputStream());
                        }
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            String target = "u@127.0.0.1:" + server.getLocalPort();

            CliRun text = CliRun.of(args(target, "--driver", "mina", "-c", "true").toArray(String[]::new));
            assertEquals(1, text.exitCode(), text.err());
            assertTrue(text.out().contains("FAILED: ") && text.out().contains("\\x1b]52;c;aGk=\\x07\\x1b[2J"),
                    text.out());
            assertNoControlCharacters(text.out());

            CliRun json = CliRun.of(args(target, "--driver", "mina", "-c", "true", "--format", "json")
                    .toArray(String[]::new));
            Map<?, ?> host = (Map<?, ?>) ((List<?>) ((Map<?, ?>) parse(json.out())).get("hosts")).get(0);
            String message = (String) ((Map<?, ?>) host.get("error")).get("message");
            assertTrue(message.contains("\u001b]52;c;aGk=\u0007\u001b[2J"), message);
        }
    }

    /** Nothing but printable characters, tab and newline. */
    private static void assertNoControlCharacters(String text) {
        text.chars().filter(c -> c != '\t' && c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f)))
                .findFirst().ifPresent(c -> {
                    throw new AssertionError("control character U+" + String.format("%04X", c) + " in: " + text);
                });
    }

    private static Object parse(String json) {
        return new Load(LoadSettings.builder().build()).loadFromString(json);
    }
}
