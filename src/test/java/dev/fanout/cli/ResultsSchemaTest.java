package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.FleetScenario;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Real results validate against the shipped JSON Schema (draft 2020-12, checked by networknt's validator): the
 * JSON lines and documents of {@code run}, {@code copy} and {@code fetch} against the simulated fleet of
 * {@code config/fleet/faults.yaml}, with the text of every error type its faults give, truncated and invalid UTF-8
 * output, transfers, timings, and skipped hosts. They validate against the schema as shipped, which lets later
 * fields in, and against a strict copy that refuses any field the schema does not name, so the schema lists them
 * all.
 */
class ResultsSchemaTest {

    private static final String PASSWORD = "results-schema-test";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

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
            JsonNode fine = byHost.values().stream().filter(record -> record.get("status").asString().equals("ok"))
                    .findFirst().orElseThrow();
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
            assertTrue(copy.out().contains("\"reason\":\"no_space\""), copy.out());
            assertTrue(copy.out().matches("(?s).*\"sha256\":\"[0-9a-f]{64}\".*"), copy.out());

            CliRun fetch = CliRun.of(args("fetch", knownHosts, tail, "--format", "json", "/tmp/agent/agent.bin",
                    Files.createDirectory(dir.resolve("fetched")).toString()));
            assertValid(fetch.out(), "fetch --format json");
            assertTrue(fetch.out().contains("\"type\":\"download\""), fetch.out());
            assertTrue(fetch.out().contains("\"reason\":\"no_such_file\""), "the disk-full host has no file");

            CliRun exited = CliRun.of(args("run", knownHosts, tail, "-c", "nosuchcommand", "--format", "json"));
            assertEquals(1, exited.exitCode(), exited.err());
            assertValid(exited.out(), "a run of a missing command --format json");
            assertTrue(exited.out().contains("\"exitCode\":127"), exited.out());

            CliRun stopped = CliRun.of(args("run", knownHosts, inventory, "-c", "uname", "--max-in-flight", "2",
                    "--out", "/dev/full", "--format", "json"));
            assertEquals(2, stopped.exitCode(), stopped.err());
            assertValid(stopped.out(), "a stopped run --format json");
            assertTrue(stopped.out().contains("\"status\":\"skipped\""), stopped.out());
        }
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
