package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.internal.inventory.Inventory;
import dev.fanout.spi.SshDriverProvider;
import dev.fanout.testing.Await;
import dev.fanout.testing.FanoutProcess;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.ThrowingDriverProvider;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** {@code fanout run} end to end: bad input refused before any host is contacted, outputs, files, exit codes. */
class RunCommandTest {

    private static final String PASSWORD = "run-command-test";

    @TempDir
    Path dir;

    private ServerSocket listener;
    private final AtomicInteger contacted = new AtomicInteger();

    /** A port that counts connections: bad input must never reach it. */
    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    listener.accept().close();
                    contacted.incrementAndGet();
                }
            } catch (IOException closed) {
                // test over
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = FanoutCommand.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private Path passwordFile() throws IOException {
        Path file = dir.resolve("password");
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private Path knownHosts() throws IOException {
        Path file = dir.resolve("known_hosts");
        if (!Files.exists(file)) {
            Files.writeString(file, "");
        }
        return file;
    }

    private void assertRefused(String expected, String... args) {
        Outcome outcome = run(args);
        assertEquals(2, outcome.exitCode(), outcome.err());
        assertTrue(outcome.err().contains(expected), "expected '" + expected + "' in: " + outcome.err());
        assertTrue(outcome.err().strip().lines().count() <= 2, "one clear line: " + outcome.err());
        assertEquals(0, contacted.get(), "no host was contacted");
    }

    private String[] args(String... extra) throws IOException {
        List<String> all = new ArrayList<>(List.of("run", "--password-file", passwordFile().toString(),
                "--known-hosts", knownHosts().toString(), "--no-progress", "-c", "true"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void refusesBadInputBeforeContactingAnyHost() throws IOException {
        String target = "u@127.0.0.1:" + listener.getLocalPort();
        Path malformed = dir.resolve("bad.yaml");
        Files.writeString(malformed, "hosts:\n  - a\n  b: [\n");
        assertRefused(malformed + ":", args("-i", malformed.toString()));
        Path unknownKey = dir.resolve("keys.yaml");
        Files.writeString(unknownKey, "hostz:\n  - " + target + "\n");
        assertRefused("unknown key 'hostz'", args("-i", unknownKey.toString()));
        Path empty = dir.resolve("empty.txt");
        Files.writeString(empty, "# nothing here\n\n");
        assertRefused("lists no hosts", args("-i", empty.toString()));
        Path badPort = dir.resolve("ports.txt");
        Files.writeString(badPort, target + "\nu@127.0.0.1:70000\n");
        assertRefused(badPort + ":2: invalid port '70000'", args("-i", badPort.toString()));
        assertRefused("expands to more than 100000 hosts", args("-H", "u@10.[0-255].[0-255].[1-254]"));
        assertRefused("expands to more than 10 hosts", args("-H", "u@node[1-11]", "--max-pattern-hosts", "10"));
        assertRefused("Unknown option: '--frobnicate'", args("-H", target, "--frobnicate"));
        assertRefused("mode async needs --driver mina", args("-H", target, "--mode", "async", "--driver", "jsch"));
        Path openPassword = dir.resolve("open-password");
        Files.writeString(openPassword, PASSWORD);
        Files.setPosixFilePermissions(openPassword, PosixFilePermissions.fromString("rw-r--r--"));
        assertRefused("chmod 600", "run", "-H", target, "-c", "true", "--password-file", openPassword.toString(),
                "--known-hosts", knownHosts().toString());
        Path missing = dir.resolve("no_known_hosts");
        assertRefused("known_hosts file " + missing + " is missing", "run", "-H", target, "-c", "true",
                "--password-file", passwordFile().toString(), "--known-hosts", missing.toString());
        assertRefused("no credentials", "run", "-H", target, "-c", "true", "--known-hosts", knownHosts().toString());
        assertRefused("Invalid value for option '--mode': must be serial, platform, virtual or async, not 'turbo'",
                args("-H", target, "--mode", "turbo"));
        assertRefused("invalid duration", args("-H", target, "--deadline", "soon"));
        Path deep = dir.resolve("deep.yaml");
        Files.writeString(deep, "hosts:\n  - " + target + "\ngroups: " + "[".repeat(100_000) + "]".repeat(100_000)
                + "\n");
        assertRefused(deep + ":3: YAML nested deeper than 64 levels", args("-i", deep.toString()));
    }

    /**
     * A host name is written into known_hosts and names fetch's file per host: anything but a host name, IPv4 or
     * IPv6 address is refused, naming the file and line, with control characters escaped.
     */
    @Test
    void refusesHostileHostNamesBeforeContactingAnyHost() throws IOException {
        int port = listener.getLocalPort();
        Path inventory = dir.resolve("hosts.txt");
        for (String hostile : List.of("*.example.com", "../etc", "a/b", "-oProxyCommand=x", "web..dc1",
                "x".repeat(250) + ".com")) {
            Files.writeString(inventory, "# fleet\nu@127.0.0.1:" + port + "\nroot@" + hostile + "\n");
            assertRefused(inventory + ":3: invalid host address '" + hostile.substring(0, Math.min(64,
                    hostile.length())) + "'", args("-i", inventory.toString()));
            assertRefused("-H 'u@" + hostile + "': invalid host address", args("-H", "u@" + hostile));
        }
        Files.writeString(inventory, "u@web\u001b]52;c;aGk=\u0007:" + port + "\n");
        assertRefused(inventory + ":1: unbalanced brackets in host pattern 'web\\x1b]52;c;aGk=\\x07'",
                args("-i", inventory.toString()));
        Files.writeString(inventory, "u@web\u001bc:" + port + "\n");
        assertRefused(inventory + ":1: invalid host address 'web\\u001bc'",
                args("-i", inventory.toString()));
    }

    /** root@h and deploy@h would both fetch into LOCAL_DIR/h: refused before any host is contacted. */
    @Test
    void refusesTwoHostsFetchingIntoOneFile() throws IOException {
        int port = listener.getLocalPort();
        String root = "root@127.0.0.1:" + port;
        String deploy = "deploy@127.0.0.1:" + port;
        assertRefused(root + " and " + deploy + " would both download into " + dir.resolve("out/127.0.0.1:" + port),
                "fetch", "-H", root + "," + deploy, "--password-file", passwordFile().toString(), "--known-hosts",
                knownHosts().toString(), "/etc/hostname", dir.resolve("out").toString());
    }

    /**
     * A wrong passphrase is found when the keys are decoded, before any host: exit 2 and one line naming the key,
     * not one authentication failure per host (in the mina driver, an encrypted PKCS#8 key once hung the run).
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void refusesAWrongPassphraseBeforeContactingAnyHost(TestDriver driver) throws Exception {
        Path key = TestKeys.generate(dir, TestKeys.Format.PKCS8_ECDSA, "right-passphrase-2718");
        String wrong = "wrong-passphrase-3141";
        try (ServerSocketChannel host = ServerSocketChannel.open()) {
            host.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            host.configureBlocking(false);
            ProcessBuilder builder = FanoutProcess.builder(List.of("run", "-H",
                    "u@127.0.0.1:" + host.socket().getLocalPort(), "--driver", driver.id(), "--identity",
                    key.toString(),
                    "--passphrase-env", "FANOUT_TEST_PASSPHRASE", "--known-hosts", knownHosts().toString(),
                    "--no-progress", "-c", "true"));
            builder.environment().put("FANOUT_TEST_PASSPHRASE", wrong);
            FanoutProcess.Finished run = FanoutProcess.runToEnd(builder,
                    dir.resolve("wrong-passphrase-" + driver + ".log"), Duration.ofSeconds(60));
            String out = run.output();
            assertEquals(2, run.exitCode(), out);
            assertEquals("fanout run: private key " + key + ": wrong passphrase", out.strip());
            assertNull(host.accept(), "no host was contacted");
        }
    }

    @Test
    void printsTextGroupsAndJsonAndWritesResultLines() throws Exception {
        FleetConfig config = FleetConfig.of(12, "root", Secret.of(PASSWORD))
                .withFaults(List.of(Fault.on(FaultType.REJECT_CREDENTIALS, 4)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            fleet.writeKnownHosts(knownHosts());
            Path inventory = dir.resolve("inventory.txt");
            fleet.writeInventory(inventory);
            Path results = dir.resolve("results.jsonl");
            Path failed = dir.resolve("failed.txt");

            Outcome text = run(args("-i", inventory.toString(), "-c", "hostname", "--out", results.toString(),
                    "--failed-hosts", failed.toString()));
            assertEquals(1, text.exitCode(), text.err());
            assertTrue(text.out().contains("127.101.0.1:" + fleet.port() + ": sim-00000"), text.out());
            assertTrue(text.out().contains("127.101.0.5:" + fleet.port() + ": FAILED: "), text.out());
            assertTrue(text.err().contains("12 hosts in") && text.err().contains("11 ok, 1 failed"), text.err());
            List<String> lines = Files.readAllLines(results);
            assertEquals(12, lines.size());
            for (String line : lines) {
                Map<?, ?> host = (Map<?, ?>) parse(line);
                assertTrue(Set.of("ok", "failed").contains(host.get("status")), line);
            }
            assertEquals(List.of(fleet.hosts().get(4).toString()), Files.readAllLines(failed));

            Outcome rerun = run(args("-i", failed.toString()));
            assertEquals(1, rerun.exitCode());
            assertTrue(rerun.err().contains("1 hosts in"), rerun.err());

            Outcome grouped = run(args("-i", inventory.toString(), "-c", "uname -s", "--group"));
            assertTrue(grouped.out().contains("127.101.0.[1-4,6-12] port " + fleet.port() + " (11)"), grouped.out());
            assertTrue(grouped.out().contains("Linux"), grouped.out());

            Outcome json = run(args("-i", inventory.toString(), "-c", "uname -sr", "--format", "json"));
            Map<?, ?> document = (Map<?, ?>) parse(json.out());
            Map<?, ?> summary = (Map<?, ?>) document.get("summary");
            assertEquals(12, summary.get("hosts"));
            assertEquals(11, summary.get("ok"));
            List<?> hosts = (List<?>) document.get("hosts");
            Map<?, ?> first = (Map<?, ?>) hosts.get(0);
            assertEquals("127.101.0.1", first.get("host"));
            Map<?, ?> step = (Map<?, ?>) ((List<?>) first.get("steps")).get(1);
            assertEquals("uname -sr", step.get("command"));
            assertEquals(0, step.get("exitCode"));
            assertEquals("Linux 5.10.0-20-amd64\n", step.get("stdout"));
            Map<?, ?> error = (Map<?, ?>) ((Map<?, ?>) hosts.get(4)).get("error");
            assertEquals("auth_failed", error.get("type"));
            assertEquals("auth", error.get("phase"));
            assertEquals(false, error.get("retryable"));
            assertFalse(json.out().contains(PASSWORD), "no password in results");
        }
    }

    @Test
    void givesEachHostTheCredentialsItsInventoryNames() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(6, "root", Secret.of(PASSWORD)))) {
            fleet.writeKnownHosts(knownHosts());
            Path wrong = dir.resolve("wrong-password");
            Files.writeString(wrong, "not-the-password");
            Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
            Path inventory = dir.resolve("hosts.yaml");
            Files.writeString(inventory, String.join("\n",
                    "defaults:",
                    "  user: root",
                    "  port: " + fleet.port(),
                    "credentials:",
                    "  right:",
                    "    password-file: " + passwordFile(),
                    "  wrong:",
                    "    password-file: " + wrong,
                    "groups:",
                    "  good:",
                    "    credentials: right",
                    "    hosts: [\"127.101.0.[1-3]\"]",
                    "  bad:",
                    "    credentials: wrong",
                    "    hosts: [\"127.101.0.[4-5]\"]",
                    "hosts:",
                    "  - host: 127.101.0.6",
                    "    credentials: right",
                    ""));
            Path failed = dir.resolve("failed.yaml");
            Outcome outcome = run("run", "-i", inventory.toString(), "--known-hosts", knownHosts().toString(),
                    "--no-progress", "--format", "json", "-c", "true", "--failed-hosts", failed.toString());
            assertEquals(1, outcome.exitCode(), outcome.err());
            List<?> hosts = (List<?>) ((Map<?, ?>) parse(outcome.out())).get("hosts");
            Map<Object, Object> statusByHost = new java.util.TreeMap<>();
            hosts.forEach(host -> statusByHost.put(((Map<?, ?>) host).get("host"), ((Map<?, ?>) host).get("status")));
            assertEquals(Map.of("127.101.0.1", "ok", "127.101.0.2", "ok", "127.101.0.3", "ok", "127.101.0.4", "failed",
                    "127.101.0.5", "failed", "127.101.0.6", "ok"), statusByHost);

            // The failed hosts read back with their credentials: fixed at the source, a rerun needs no flags.
            Inventory.Contents rerun = new Inventory(null, 22, 10).read(failed);
            assertEquals(List.of(fleet.hosts().get(3), fleet.hosts().get(4)), rerun.hosts());
            assertEquals(Map.of(fleet.hosts().get(3), "wrong", fleet.hosts().get(4), "wrong"),
                    rerun.credentialNames());
            assertEquals(Optional.of(wrong), rerun.credentials().get("wrong").passwordFile());
            assertFalse(Files.readString(failed).contains("not-the-password"), "no secret in the file");
            Files.writeString(wrong, PASSWORD);
            Outcome fixed = run("run", "-i", failed.toString(), "--known-hosts", knownHosts().toString(),
                    "--no-progress", "-c", "true");
            assertEquals(0, fixed.exitCode(), fixed.err());
            assertTrue(fixed.err().contains("2 hosts in"), fixed.err());

            assertRefused("--failed-hosts " + dir.resolve("failed.txt") + " would be a plain list, which cannot keep "
                    + "the credentials", "run", "-i", inventory.toString(), "--known-hosts", knownHosts().toString(),
                    "-c", "true", "--failed-hosts", dir.resolve("failed.txt").toString());

            Files.writeString(inventory, "hosts:\n  - host: 127.101.0.1\n    credentials: nobody\n");
            assertRefused("credentials: 'nobody' is not defined", "run", "-i", inventory.toString(), "--known-hosts",
                    knownHosts().toString(), "-c", "true", "--password-file", passwordFile().toString());
        }
    }

    /** Inventory variables: the defaults', a group's over them, a host's over both; each host gets its own. */
    @Test
    void givesEachHostTheVariablesOfItsInventory() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", Secret.of(PASSWORD)))) {
            fleet.writeKnownHosts(knownHosts());
            Path inventory = dir.resolve("vars.yaml");
            Files.writeString(inventory, String.join("\n",
                    "defaults:",
                    "  user: root",
                    "  port: " + fleet.port(),
                    "  vars: {env: prod, region: none, agent_id: unset}",
                    "groups:",
                    "  eu:",
                    "    vars: {region: eu-west}",
                    "    hosts:",
                    "      - 127.101.0.1",
                    "      - host: 127.101.0.2",
                    "        vars: {agent_id: 7}",
                    "hosts:",
                    "  - host: 127.101.0.3",
                    "    vars: {agent_id: \"x y\"}",
                    ""));
            Outcome outcome = run("run", "-i", inventory.toString(), "--password-file", passwordFile().toString(),
                    "--known-hosts", knownHosts().toString(), "--no-progress", "--format", "json", "-c",
                    "echo {{env}} {{region}} {{ agent_id }}");
            assertEquals(0, outcome.exitCode(), outcome.err());
            Map<Object, Object> stdoutByHost = new java.util.TreeMap<>();
            for (Object host : (List<?>) ((Map<?, ?>) parse(outcome.out())).get("hosts")) {
                Map<?, ?> step = (Map<?, ?>) ((List<?>) ((Map<?, ?>) host).get("steps")).get(0);
                stdoutByHost.put(((Map<?, ?>) host).get("host"), step.get("stdout"));
            }
            assertEquals(Map.of("127.101.0.1", "prod eu-west unset\n", "127.101.0.2", "prod eu-west 7\n",
                    "127.101.0.3", "prod none x y\n"), stdoutByHost);

            Files.writeString(inventory, "hosts:\n  - host: 127.101.0.1\n    vars: [agent_id]\n");
            assertRefused(inventory + ": hosts[0].vars must map variable names to values", args("-i",
                    inventory.toString()));
            Files.writeString(inventory, "defaults:\n  vars: {agent-id: 7}\nhosts: [127.101.0.1]\n");
            assertRefused(inventory + ": defaults.vars: variable name 'agent-id' must be letters", args("-i",
                    inventory.toString()));
        }
    }

    /** A command using a variable that a host does not have: exit 2 naming host and variable, no host contacted. */
    @Test
    void refusesAVariableAHostLacksBeforeContactingAnyHost() throws IOException {
        String target = "u@127.0.0.1:" + listener.getLocalPort();
        assertRefused(target + ": command 'install.sh --id {{agent_id}}' uses {{agent_id}}, which is not set for this "
                + "host (its variables: none)", "run", "-H", target, "--password-file", passwordFile().toString(),
                "--known-hosts", knownHosts().toString(), "-c", "install.sh --id {{agent_id}}");
    }

    /** What --failed-hosts writes for an IPv6 host with a port reads back as that host. */
    @Test
    void readsBackTheFailedHostsItWritesForIpv6Addresses() throws IOException {
        int closedPort;
        InetAddress ipv6Loopback =
                InetAddress.getByAddress(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
        try (ServerSocket socket = new ServerSocket(0, 1, ipv6Loopback)) {
            closedPort = socket.getLocalPort();
        }
        Path failed = dir.resolve("failed.txt");
        Outcome first = run(args("-H", "u@[::1]:" + closedPort, "--failed-hosts", failed.toString()));
        assertEquals(1, first.exitCode(), first.err());
        assertEquals(List.of("u@[::1]:" + closedPort), Files.readAllLines(failed));
        Outcome rerun = run(args("-i", failed.toString(), "--failed-hosts", failed.toString()));
        assertEquals(1, rerun.exitCode(), rerun.err());
        assertTrue(rerun.err().contains("1 hosts in"), rerun.err());
        assertEquals(List.of("u@[::1]:" + closedPort), Files.readAllLines(failed));
    }

    private static Object parse(String json) {
        return new Load(LoadSettings.builder().build()).loadFromString(json);
    }

    @Test
    void keepsNoMoreOutputThanTheBudgetGiven() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", Secret.of(PASSWORD)))) {
            fleet.writeKnownHosts(knownHosts());
            String target = "127.101.0.[1-3]:" + fleet.port();
            String echo = "echo " + "x".repeat(999);
            Outcome outcome = run(args("-H", target, "-u", "root", "-c", echo, "--output-budget", "1k", "--format",
                    "json"));
            assertEquals(0, outcome.exitCode(), outcome.err());
            List<?> hosts = (List<?>) ((Map<?, ?>) parse(outcome.out())).get("hosts");
            int kept = 0;
            int truncated = 0;
            for (Object host : hosts) {
                Map<?, ?> step = (Map<?, ?>) ((List<?>) ((Map<?, ?>) host).get("steps")).get(1);
                kept += ((String) step.get("stdout")).length();
                truncated += Boolean.TRUE.equals(step.get("truncated")) ? 1 : 0;
            }
            assertEquals(1024, kept, "1k of 3,000 bytes kept");
            assertTrue(truncated >= 2, outcome.out());
            assertRefused("invalid size 'lots'", args("-H", target, "--output-budget", "lots"));
        }
    }

    @Test
    void exitsZeroWhenEveryHostIsOk() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "deploy", Secret.of(PASSWORD)))) {
            fleet.writeKnownHosts(knownHosts());
            Outcome outcome = run(args("-H", "127.101.0.[1-3]:" + fleet.port(), "-u", "deploy", "-c", "whoami"));
            assertEquals(0, outcome.exitCode(), outcome.err());
            assertEquals(3, outcome.out().lines().filter(line -> line.endsWith(": deploy")).count(), outcome.out());
        }
    }

    @Test
    void resumesARunKilledHalfWayRunningExactlyTheMissingHosts() throws Exception {
        FleetConfig config = FleetConfig.of(120, "root", Secret.of(PASSWORD))
                .withLatencies(Latency.NONE, Latency.NONE, Latency.parse("100ms..400ms"));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            fleet.writeKnownHosts(knownHosts());
            Path inventory = dir.resolve("inventory.txt");
            fleet.writeInventory(inventory);
            Path results = dir.resolve("results.jsonl");
            Process first = startRun(inventory, results, "4", "hostname", "first.log");
            awaitLines(results, 30);
            first.destroyForcibly();
            assertTrue(first.waitFor(1, TimeUnit.MINUTES), "SIGKILL ends the run");
            int doneBefore = lineCount(results);
            assertTrue(doneBefore >= 30 && doneBefore < 120, "killed half-way: " + doneBefore);

            Outcome second = run(args("-i", inventory.toString(), "--out", results.toString(), "--resume",
                    results.toString(), "-c", "hostname"));
            assertEquals(0, second.exitCode(), second.err());
            assertTrue(second.err().contains((120 - doneBefore) + " hosts in"), second.err());
            assertTrue(second.err().contains(doneBefore + " already ok in the resume file"), second.err());
            Set<String> hosts = new HashSet<>();
            for (String line : Files.readAllLines(results)) {
                Map<?, ?> host = (Map<?, ?>) parse(line);
                assertEquals("ok", host.get("status"));
                assertTrue(hosts.add(host.get("host") + ":" + host.get("port")), "each host once: " + host.get("host"));
            }
            assertEquals(120, hosts.size());
        }
    }

    @Test
    void ctrlCCancelsTheRunKeepsEveryResultAndExits130() throws Exception {
        FleetConfig config = FleetConfig.of(60, "root", Secret.of(PASSWORD))
                .withLatencies(Latency.NONE, Latency.NONE, Latency.parse("300ms"));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            fleet.writeKnownHosts(knownHosts());
            Path inventory = dir.resolve("inventory.txt");
            fleet.writeInventory(inventory);
            Path results = dir.resolve("results.jsonl");
            // A process started in the background by a non-interactive shell (nohup, `cmd &` in a script) inherits
            // SIGINT ignored, and the JVM keeps an ignored SIGINT ignored, as it should: env resets it to the
            // default, so that this test does not depend on how its own JVM was started.
            ProcessBuilder builder = FanoutProcess.builder(List.of(args("-i", inventory.toString(), "--out",
                    results.toString(), "--max-in-flight", "3", "-c", "sleep 1")));
            builder.command().addAll(0, List.of("env", "--default-signal=INT"));
            Process run = builder.redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile()).start();
            awaitLines(results, 3);
            new ProcessBuilder("kill", "-INT", Long.toString(run.pid())).start().waitFor();
            // Ctrl-C shows in the exit code and the skipped hosts; this bound is only against a run that never ends.
            assertTrue(run.waitFor(1, TimeUnit.MINUTES), "Ctrl-C ends the run");
            assertEquals(130, run.exitValue());
            assertEquals(60, lineCount(results), "every host has its line: done, cancelled or skipped");
            String log = Files.readString(dir.resolve("run.log"));
            assertTrue(log.contains("60 hosts in") && log.contains("skipped"), log);
        }
    }

    @Test
    void anErrorInAHostIsItsResultNeitherARawStackTraceNorAHang() throws Exception {
        // The throwing driver (test class path) fails every connect with the NoClassDefFoundError that an encrypted
        // PKCS#8 key once raised in the mina driver: the run used to print it raw and never exit.
        String port = Integer.toString(listener.getLocalPort());
        Path results = dir.resolve("results.jsonl");
        ProcessBuilder builder = FanoutProcess.builder(List.of(args("-H", "root@127.0.0.1:" + port + ",root@127.0.0.2:"
                + port, "--driver", "throwing", "--out", results.toString())));
        // The throwing driver is registered for this process only, so that no other test sees it among the drivers.
        Path services = Files.createDirectories(dir.resolve("throwing-driver/META-INF/services"));
        Files.writeString(services.resolve(SshDriverProvider.class.getName()), ThrowingDriverProvider.class.getName());
        List<String> command = builder.command();
        int classPath = command.indexOf("-cp") + 1;
        command.set(classPath, command.get(classPath) + File.pathSeparator + dir.resolve("throwing-driver"));
        Process run = builder.redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile()).start();
        try {
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            run.destroyForcibly();
        }
        String out = Files.readString(dir.resolve("out.txt"));
        String err = Files.readString(dir.resolve("err.txt"));
        assertEquals(1, run.exitValue(), out + err);
        String cause = "internal error: java.lang.NoClassDefFoundError: " + ThrowingDriverProvider.MISSING_CLASS;
        for (String host : List.of("127.0.0.1:", "127.0.0.2:")) {
            assertTrue(out.contains(host + port + ": FAILED: " + cause), out);
        }
        assertEquals(2, Files.readAllLines(results).stream().filter(line -> line.contains(cause)).count());
        assertFalse(err.contains("Exception in thread"), err);
    }

    /** {@code fanout run} as a separate process writing {@code --out results}, its output in {@code log}. */
    private Process startRun(Path inventory, Path results, String maxInFlight, String command, String log)
            throws IOException {
        return FanoutProcess.builder(List.of(args("-i", inventory.toString(), "--out", results.toString(),
                "--max-in-flight", maxInFlight, "-c", command))).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile()).start();
    }

    /** Waits for {@code lines} complete result lines (see {@link Await}). */
    private static void awaitLines(Path results, int lines) throws InterruptedException {
        Await.until(() -> lines + " result lines in " + results, () -> lineCount(results) >= lines);
    }

    private static int lineCount(Path file) {
        try {
            return Files.exists(file) ? (int) Files.readAllLines(file).stream().filter(l -> l.endsWith("}")).count()
                    : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
