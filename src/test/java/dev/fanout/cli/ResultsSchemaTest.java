package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.HostTimings;
import dev.fanout.Output;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.Task;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.error.BastionFailedException;
import dev.fanout.error.CommandFailedException;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.HandshakeFailedException;
import dev.fanout.error.HostKeyChangedException;
import dev.fanout.error.HostKeyUnknownException;
import dev.fanout.error.HostUnresolvedException;
import dev.fanout.error.Phase;
import dev.fanout.error.PoolExhaustedException;
import dev.fanout.error.SessionLostException;
import dev.fanout.error.SudoFailedException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.FleetScenario;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real results validate against the shipped JSON Schema (draft 2020-12, checked by networknt's validator): the
 * JSON lines and documents of {@code run}, {@code copy}, {@code fetch} and {@code merge} against the simulated fleet
 * of {@code config/fleet/faults.yaml}, with the text of every error type its faults give, truncated and invalid
 * UTF-8 output, transfers, timings, and skipped hosts. They validate against the schema as shipped, which lets later
 * fields in, and against a strict copy that refuses any field the schema does not name, so the schema lists them
 * all.
 */
class ResultsSchemaTest {

    private static final String PASSWORD = "results-schema-test";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private static JsonNode schemaTree;
    private static Schema shipped;
    private static Schema strict;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        JsonNode schema;
        try (InputStream in = ResultsJson.class.getResourceAsStream("results.schema.json")) {
            assertNotNull(in, "results.schema.json beside ResultsJson");
            schema = MAPPER.readTree(in);
        }
        schemaTree = schema;
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asString());
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        shipped = registry.getSchema(schema);
        JsonNode closed = schema.deepCopy();
        closeObjects(closed);
        strict = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(closed);
    }

    /** Every schema of {@code "type": "object"} in {@code node} refuses properties it does not name. */
    private static void closeObjects(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("properties") && object.path("type").asString("")
                .equals("object")) {
            object.put("additionalProperties", false);
        }
        for (JsonNode child : node.values()) {
            closeObjects(child);
        }
    }

    private static void assertValid(String json, String what) {
        for (Schema schema : List.of(shipped, strict)) {
            var errors = schema.validate(json, InputFormat.JSON);
            assertTrue(errors.isEmpty(), what + (schema == strict ? " (strict)" : "") + ": " + errors + "\n"
                    + json.substring(0, Math.min(json.length(), 2000)));
        }
    }

    /** The schema is not vacuous: it refuses a record missing a field, of a newer version, or of a wrong type. */
    @Test
    void refusesRecordsThatBreakIt() {
        String ok = "{\"schemaVersion\":1,\"host\":\"h\",\"port\":22,\"user\":\"u\",\"status\":\"ok\",\"detail\":\"\","
                + "\"error\":null,\"steps\":[],\"timings\":{\"connectMs\":1,\"authMs\":2,\"totalMs\":3},"
                + "\"attempts\":1}";
        assertValid(ok, "a minimal record");
        for (String broken : List.of(ok.replace("\"schemaVersion\":1,", ""), ok.replace(":1,\"host\"", ":2,\"host\""),
                ok.replace("\"port\":22", "\"port\":\"22\""), ok.replace("\"ok\"", "\"fine\""),
                ok.replace("\"attempts\":1", "\"attempts\":-1"))) {
            assertFalse(shipped.validate(broken, InputFormat.JSON).isEmpty(), broken);
        }
        String extra = ok.replace("\"attempts\":1}", "\"attempts\":1,\"later\":true}");
        assertTrue(shipped.validate(extra, InputFormat.JSON).isEmpty(), "fields may be added within a version");
        assertFalse(strict.validate(extra, InputFormat.JSON).isEmpty(), "the strict copy refuses unnamed fields");
    }

    /**
     * The schema's enumerations are exactly the code's: every error type (one of each subtype of
     * {@link FanoutException}, as {@link ResultsJson} writes it in a record), phase, transfer reason and host status.
     * Error types no command line run can give (a checked command's {@code command_failed}, a session pool's
     * {@code pool_exhausted}; {@code sudo_failed} and {@code bastion_failed}, which the contract tests give) are
     * validated here, with a record the writer made from the exception.
     */
    @Test
    void everyErrorTypePhaseReasonAndStatusOfTheCodeIsInTheSchema() {
        String host = "root@10.0.0.7:22";
        ExecResult exec = new ExecResult("sleep 9", ExitStatus.exited(3), Output.of(new byte[0], 0),
                Output.of(new byte[0], 0), Duration.ofMillis(5));
        List<FanoutException> errors = new ArrayList<>(List.of(
                new PoolExhaustedException(host, "mina", 1, Duration.ofMillis(300), null),
                new ConnectionRefusedException(host, "mina", null), new HostUnresolvedException(host, "mina", null),
                new ConnectTimeoutException(host, "mina", Phase.CONNECT, Duration.ofSeconds(10), null),
                new HandshakeFailedException(host, "mina", true, "closed", null),
                new HostKeyUnknownException(host, "mina", "ssh-ed25519", "SHA256:x", "known_hosts", null),
                new HostKeyChangedException(host, "mina", "ssh-ed25519", "SHA256:x", "known_hosts:3", null),
                new AuthenticationFailedException(host, "mina", "publickey,password", null),
                new SessionLostException(host, "mina", Phase.CHANNEL, "closed", null),
                new CommandTimeoutException(host, "mina", Duration.ofSeconds(5), exec),
                new CommandFailedException(host, "mina", exec),
                new SudoFailedException(host, "mina", "sudo refused the password"),
                new BastionFailedException(host, "mina", new HostKeyChangedException("ops@bastion:22", "mina",
                        "ssh-ed25519", "SHA256:y", "known_hosts:4", null))));
        for (TransferFailedException.Reason reason : TransferFailedException.Reason.values()) {
            errors.add(new TransferFailedException(host, "mina", reason, "/tmp/x", "", null));
        }
        assertEquals(Set.of(FanoutException.class.getPermittedSubclasses()),
                errors.stream().map(Object::getClass).collect(Collectors.toSet()), "one of each error type");
        for (FanoutException error : errors) {
            HostResult result = new HostResult(new Host("10.0.0.7", 22, "root"), HostStatus.FAILED, Optional.of(error),
                    error.getMessage(), List.of(), new HostTimings(Duration.ofMillis(1), Duration.ofMillis(2),
                            Duration.ofMillis(3)),
                    1, List.of());
            assertValid(ResultsJson.hostLine(result), error.kind());
        }

        JsonNode defs = schemaTree.get("$defs");
        assertEquals(labels(errors.stream().map(FanoutException::kind)),
                enumeration(defs.at("/error/properties/type")));
        assertEquals(labels(Stream.of(Phase.values()).map(Phase::label)),
                enumeration(defs.at("/error/properties/phase")));
        assertEquals(
                labels(Stream.of(TransferFailedException.Reason.values()).map(TransferFailedException.Reason::label)),
                enumeration(defs.at("/error/properties/reason")));
        assertEquals(labels(Stream.of(HostStatus.values()).map(HostStatus::label)),
                enumeration(defs.at("/hostRecord/properties/status")));
        assertEquals(labels(Stream.of(TransferResult.Method.values()).map(TransferResult.Method::label)),
                enumeration(defs.at("/transferStep/properties/method")));
    }

    /**
     * A directory tree that stopped at a failure, over exec: a transfer step with its {@code tree} (files, skipped),
     * as {@link ResultsJson} writes it, validates, also with every object closed to fields the schema does not name.
     */
    @Test
    void aTreeTransferValidates() {
        Host host = new Host("10.0.0.7", 22, "root");
        TransferResult file = new TransferResult("/etc/app/conf/a", "/tmp/conf/a", 3, Duration.ofMillis(4),
                Optional.of("ab".repeat(32)), TransferResult.Method.EXEC);
        TreeTransferResult tree = new TreeTransferResult("/etc/app/conf", "/tmp/conf", List.of(file),
                List.of(new TreeTransferResult.Skipped("current", "a symbolic link")), TransferResult.Method.EXEC,
                Duration.ofMillis(9), false);
        TransferFailedException denied = new TransferFailedException(host.toString(), "mina",
                TransferFailedException.Reason.PERMISSION_DENIED, "/etc/app/conf/b/x", "denied", null);
        HostResult result = new HostResult(host, HostStatus.FAILED, Optional.of(denied), denied.getMessage(),
                List.of(new StepResult.TreeTransferred(Step.uploadTree(dir, "/etc/app/conf"), tree)),
                new HostTimings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3)), 1, List.of());
        assertValid(ResultsJson.hostLine(result), "a tree transfer");
    }

    private static Set<String> labels(Stream<String> labels) {
        return labels.collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<String> enumeration(JsonNode property) {
        assertTrue(property.has("enum"), property.toString());
        return labels(property.get("enum").valueStream().map(JsonNode::asString));
    }

    /**
     * A checked command's failure, {@code command_failed}, comes from a library run (the command line runs no
     * checked command): its record, as {@link ResultsJson} writes it, validates.
     */
    @Test
    void aCheckedCommandThatFailsValidates() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", Secret.of(PASSWORD)))) {
            Path knownHosts = dir.resolve("known_hosts");
            fleet.writeKnownHosts(knownHosts);
            try (Fanout fanout = Fanout.builder().credentials(Credentials.password(Secret.of(PASSWORD)))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build()) {
                RunReport report = fanout.run(fleet.hosts(), Task.of(Command.of("false").checked()));
                HostResult failed = report.results().get(0);
                assertEquals("command_failed", failed.error().orElseThrow().kind(), failed.toString());
                assertValid(ResultsJson.hostLine(failed), "command_failed");
            }
        }
    }

    /**
     * A name that does not resolve ({@code host_unresolved}) and a server that closes every connection before its
     * banner ({@code handshake_failed}), through the command line.
     */
    @Test
    void anUnresolvedHostAndAFailedHandshakeValidate() throws Exception {
        try (ServerSocket closing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // Ends when the try closes the socket.
            Thread.ofVirtual().start(() -> {
                while (!closing.isClosed()) {
                    try (Socket accepted = closing.accept()) {
                        accepted.setSoLinger(true, 0);
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            Path inventory = dir.resolve("hosts.txt");
            Files.writeString(inventory, "nobody@no-such-host.invalid\nnobody@127.0.0.1:" + closing.getLocalPort()
                    + "\n");
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
            CliRun run = CliRun.of(args("run", knownHosts, inventory, "-c", "true", "--format", "json"));
            assertEquals(1, run.exitCode(), run.err());
            assertValid(run.out(), "run --format json");
            JsonNode hosts = MAPPER.readTree(run.out()).get("hosts");
            assertEquals("host_unresolved", hosts.get(0).get("error").get("type").asString(), run.out());
            assertEquals("handshake_failed", hosts.get(1).get("error").get("type").asString(), run.out());
        }
    }

    @Test
    void realResultsOfAFleetWithFaultsValidate() throws Exception {
        FleetConfig faults = FleetScenario.load(Path.of("config/fleet/faults.yaml"),
                FleetConfig.of(1, "root", Secret.of(PASSWORD)));
        List<Fault> quicker = new ArrayList<>();
        for (Fault fault : faults.faults()) {
            // 4 MiB instead of 1 GiB: kept up to the 1 MiB limit, the rest drained, in well under a second.
            quicker.add(fault.type() == FaultType.HUGE_OUTPUT ? fault.withBytes(4L << 20) : fault);
        }
        try (SimulatedFleet fleet = SimulatedFleet.start(faults.withFaults(quicker))) {
            List<Host> hosts = fleet.hosts();
            Path knownHosts = dir.resolve("known_hosts");
            Host unknown = hosts.get(1);
            Files.write(knownHosts, fleet.knownHostsLines().stream()
                    .filter(line -> !line.startsWith("[" + unknown.address() + "]:")).toList());
            Path inventory = dir.resolve("hosts.txt");
            fleet.writeInventory(inventory);

            Path lines = dir.resolve("run.jsonl");
            CliRun run = CliRun.of(args("run", knownHosts, inventory, "-c", "printf '\\033[31mred\\001\\n'", "-c",
                    "uname -sr", "--out", lines.toString(), "--format", "json"));
            assertEquals(1, run.exitCode(), run.err());
            assertValid(run.out(), "run --format json");
            List<String> written = Files.readAllLines(lines, StandardCharsets.UTF_8);
            assertEquals(hosts.size(), written.size());
            // fanout merge of the --out file, with the run's inventory: the run's document, each record as written.
            CliRun merged = CliRun.of("merge", lines.toString(), "-i", inventory.toString(), "--format", "json");
            assertEquals(run.exitCode(), merged.exitCode(), merged.err());
            assertValid(merged.out(), "merge --format json");
            assertEquals(MAPPER.readTree(run.out()).get("hosts"), MAPPER.readTree(merged.out()).get("hosts"));
            Map<Host, JsonNode> byHost = new HashMap<>();
            for (String line : written) {
                assertValid(line, "a line of --out");
                JsonNode record = MAPPER.readTree(line);
                byHost.put(new Host(record.get("host").asString(), record.get("port").asInt(),
                        record.get("user").asString()), record);
            }
            Map<FaultType, String> errorOf = Map.of(FaultType.REFUSE, "connection_refused", FaultType.BLACKHOLE,
                    "connect_timeout", FaultType.REJECT_CREDENTIALS, "auth_failed", FaultType.HOST_KEY_CHANGED,
                    "host_key_changed", FaultType.DROP_MID_COMMAND, "session_lost", FaultType.HANG,
                    "command_timeout");
            for (int i = 0; i < hosts.size(); i++) {
                JsonNode record = byHost.get(hosts.get(i));
                for (FaultType fault : fleet.faultsOf(i)) {
                    if (errorOf.containsKey(fault)) {
                        assertEquals(errorOf.get(fault), record.get("error").get("type").asString(), record.toString());
                    }
                }
            }
            assertEquals("host_key_unknown", byHost.get(unknown).get("error").get("type").asString());
            JsonNode huge = byHost.get(hosts.get(indexOf(fleet, FaultType.HUGE_OUTPUT)));
            assertTrue(huge.get("steps").get(0).get("truncated").asBoolean(), huge.toString());
            JsonNode invalid = byHost.get(hosts.get(indexOf(fleet, FaultType.INVALID_UTF8)));
            assertTrue(invalid.get("steps").get(0).get("stdout").asString().contains("\ufffd"), invalid.toString());
            // A host without faults: the first ok record in the map's order could be the huge or invalid output.
            int healthy = 0;
            while (!fleet.faultsOf(healthy).isEmpty() || hosts.get(healthy).equals(unknown)) {
                healthy++;
            }
            JsonNode fine = byHost.get(hosts.get(healthy));
            assertEquals("ok", fine.get("status").asString(), fine.toString());
            assertEquals("\u001b[31mred\u0001\n", fine.get("steps").get(0).get("stdout").asString());
            assertTrue(run.out().contains("\\u001b[31mred\\u0001"), "control characters escaped as before");

            Path upload = dir.resolve("agent.bin");
            Files.write(upload, new byte[100 << 10]);
            Path tail = dir.resolve("tail.txt");
            Files.writeString(tail, hosts.subList(40, 50).stream().map(Host::toString)
                    .reduce("", (list, host) -> list + host + "\n"));
            CliRun copy = CliRun.of(args("copy", knownHosts, tail, "--format", "json", "--sha256", upload.toString(),
                    "/tmp/agent/"));
            assertEquals(1, copy.exitCode(), "the disk-full host fails: " + copy.err());
            assertValid(copy.out(), "copy --format json");
            assertTrue(values(copy.out(), "/error/reason").contains("no_space"), copy.out());
            assertTrue(values(copy.out(), "/steps/0/sha256").stream().anyMatch(sha -> sha.matches("[0-9a-f]{64}")),
                    copy.out());

            CliRun fetch = CliRun.of(args("fetch", knownHosts, tail, "--format", "json", "/tmp/agent/agent.bin",
                    Files.createDirectory(dir.resolve("fetched")).toString()));
            assertValid(fetch.out(), "fetch --format json");
            assertTrue(values(fetch.out(), "/steps/0/type").contains("download"), fetch.out());
            assertTrue(values(fetch.out(), "/error/reason").contains("no_such_file"), "the disk-full host has no file");

            CliRun exited = CliRun.of(args("run", knownHosts, tail, "-c", "nosuchcommand", "--format", "json"));
            assertEquals(1, exited.exitCode(), exited.err());
            assertValid(exited.out(), "a run of a missing command --format json");
            assertEquals(List.of("127"), values(exited.out(), "/steps/0/exitCode").stream().distinct().toList(),
                    exited.out());

            CliRun stopped = CliRun.of(args("run", knownHosts, inventory, "-c", "uname", "--max-in-flight", "2",
                    "--out", "/dev/full", "--format", "json"));
            assertEquals(2, stopped.exitCode(), stopped.err());
            assertValid(stopped.out(), "a stopped run --format json");
            assertTrue(values(stopped.out(), "/status").contains("skipped"), stopped.out());
        }
    }

    /** The values at {@code pointer} in each host record of a document, as text, where there is one. */
    private static List<String> values(String document, String pointer) {
        return MAPPER.readTree(document).get("hosts").valueStream().map(record -> record.at(pointer))
                .filter(JsonNode::isValueNode).map(JsonNode::asString).toList();
    }

    private static int indexOf(SimulatedFleet fleet, FaultType fault) {
        for (int i = 0; i < fleet.hosts().size(); i++) {
            if (fleet.faultsOf(i).contains(fault)) {
                return i;
            }
        }
        throw new AssertionError("no host with " + fault);
    }

    /** {@code fanout COMMAND} on the hosts of {@code inventory}, with the fleet's password; the hang lasts 5 s. */
    private String[] args(String command, Path knownHosts, Path inventory, String... extra) throws IOException {
        Path password = dir.resolve("password");
        if (!Files.exists(password)) {
            Files.writeString(password, PASSWORD + "\n");
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        }
        List<String> all = new ArrayList<>();
        all.add(command);
        all.addAll(List.of("-i", inventory.toString(), "--password-file", password.toString(), "--known-hosts",
                knownHosts.toString(), "--no-progress", "--command-timeout", "5s"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }
}
