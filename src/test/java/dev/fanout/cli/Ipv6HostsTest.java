package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * IPv6 end to end, against a real OpenSSH sshd on {@code ::1}, with both drivers: every form in which fanout writes a
 * host (known_hosts entries under accept-new, JSON results that --resume reads, fetch's file names, --failed-hosts)
 * reads back as the same host, zone ids included.
 */
class Ipv6HostsTest {

    private static Path serverDirectory;
    private static OpenSshServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSshd() throws IOException {
        serverDirectory = Files.createTempDirectory("fanout-ipv6");
        server = OpenSshServer.startOnIpv6Loopback(Files.createDirectories(serverDirectory.resolve("sshd")),
                Files.createDirectories(serverDirectory.resolve("keys")));
    }

    @AfterAll
    static void stopSshd() {
        if (server != null) {
            server.close();
        }
    }

    private List<String> args(String command, TestDriver driver, Path knownHosts, String policy, String... extra)
            throws IOException {
        Path password = dir.resolve("password");
        if (!Files.exists(password)) {
            Files.writeString(password, server.password().reveal() + "\n");
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        }
        List<String> args = new ArrayList<>(List.of(command, "--driver", driver.id(), "--password-file",
                password.toString(), "--known-hosts", knownHosts.toString(), "--host-key-policy", policy,
                "--no-progress"));
        args.addAll(List.of(extra));
        return args;
    }

    private static CliRun run(List<String> args) {
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err() + run.out());
        return run;
    }

    private static Map<?, ?> onlyHost(CliRun json) {
        List<?> hosts = (List<?>) ((Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(json.out()))
                .get("hosts");
        assertEquals(1, hosts.size(), json.out());
        return (Map<?, ?>) hosts.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void everyFormWrittenForAnIpv6HostReadsBackAsThatHost(TestDriver driver) throws Exception {
        Host host = server.host(TestServer.PASSWORD_USER);
        assertEquals("fanout-pw@[::1]:" + host.port(), host.toString());
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        Path results = dir.resolve("results.jsonl");

        // -H user@[::1]:port, accept-new: the key is recorded as OpenSSH records it, and OpenSSH finds it there.
        CliRun first = run(args("run", driver, knownHosts, "accept-new", "-H", host.toString(), "-c", "echo v6",
                "--out", results.toString()));
        assertEquals("[::1]:" + host.port() + ": v6\n", first.out(), "the label as -H reads it");
        assertTrue(Files.readString(knownHosts).startsWith("[::1]:" + host.port() + " "),
                Files.readString(knownHosts));
        assertTrue(Processes.run(List.of("ssh-keygen", "-F", "[::1]:" + host.port(), "-f", knownHosts.toString()))
                .contains(server.hostKeyLine().split(" ", 2)[1]), "ssh-keygen -F finds the entry");

        // A YAML inventory, strict against that file: fanout reads its own entry back. The file is named as -H
        // reads it.
        Path inventory = Files.writeString(dir.resolve("v6.yaml"), "hosts:\n  - host: ::1\n    port: " + host.port()
                + "\n    user: " + host.user() + "\n");
        Path fetched = dir.resolve("fetched");
        run(args("fetch", driver, knownHosts, "strict", "-i", inventory.toString(), "/etc/hostname",
                fetched.toString()));
        List<String> names;
        try (Stream<Path> files = Files.list(fetched)) {
            names = files.map(file -> file.getFileName().toString()).toList();
        }
        assertEquals(List.of("[::1]:" + host.port()), names);

        // The fetched files' names as a host list reach the same host; the JSON names it as it was given.
        Path list = Files.write(dir.resolve("answered.txt"), names);
        Map<?, ?> json = onlyHost(run(args("run", driver, knownHosts, "strict", "-i", list.toString(), "-u",
                host.user(), "-c", "true", "--format", "json")));
        assertEquals(List.of("::1", host.port(), host.user(), "ok"), List.of(json.get("host"), json.get("port"),
                json.get("user"), json.get("status")));

        // --resume reads the JSON line --out wrote: the host is done.
        CliRun resumed = run(args("run", driver, knownHosts, "strict", "-H", host.toString(), "-c", "true",
                "--resume", results.toString(), "--format", "json"));
        assertTrue(resumed.out().contains("\"skippedByResume\":1"), resumed.out());
    }

    /** A zone id ({@code ::1%lo}, as the JDK takes it) in -H, known_hosts, JSON and --resume. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void aZoneIdIsKeptInEveryFormWritten(TestDriver driver) throws Exception {
        Host host = new Host("::1%lo", server.host(TestServer.PASSWORD_USER).port(), TestServer.PASSWORD_USER);
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        Path results = dir.resolve("results.jsonl");
        run(args("run", driver, knownHosts, "accept-new", "-H", host.toString(), "-c", "true", "--out",
                results.toString()));
        assertTrue(Files.readString(knownHosts).startsWith("[::1%lo]:" + host.port() + " "),
                Files.readString(knownHosts));
        assertTrue(Processes.run(List.of("ssh-keygen", "-F", "[::1%lo]:" + host.port(), "-f",
                knownHosts.toString())).contains(server.hostKeyLine().split(" ", 2)[1]));
        Map<?, ?> json = onlyHost(run(args("run", driver, knownHosts, "strict", "-H", "::1%lo", "-p",
                String.valueOf(host.port()), "-u", host.user(), "-c", "true", "--format", "json")));
        assertEquals("::1%lo", json.get("host"));
        CliRun resumed = run(args("run", driver, knownHosts, "strict", "-H", host.toString(), "-c", "true",
                "--resume", results.toString(), "--format", "json"));
        assertTrue(resumed.out().contains("\"skippedByResume\":1"), resumed.out());
    }
}
