package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.Jq;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

/** The {@code --out} file of {@code fanout run}: what a killed run leaves in it, and a disk that cannot take it. */
class ResultsFileTest {

    private static final String PASSWORD = "results-file-test";
    private static final int HOSTS = 6;

    @TempDir
    Path dir;

    private List<String> args(SimulatedFleet fleet, String... extra) throws IOException {
        Path password = dir.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        Path inventory = dir.resolve("hosts.txt");
        fleet.writeInventory(inventory);
        List<String> all = new ArrayList<>(List.of("run", "-i", inventory.toString(), "--password-file",
                password.toString(), "--known-hosts", knownHosts.toString(), "--no-progress"));
        all.addAll(List.of(extra));
        return all;
    }

    /**
     * A run killed while writing its last line leaves half a line, here cut inside a two-byte UTF-8 character: the
     * resume reads the file, warns about that line by file:line and runs its host again, and the new result starts
     * on a line of its own instead of being glued to the torn one.
     */
    @Test
    void resumesAfterATornLastLineAndAppendsOnANewLine() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(HOSTS, "root", Secret.of(PASSWORD)))) {
            Path results = dir.resolve("results.jsonl");
            CliRun first = CliRun.of(args(fleet, "-c", "printf 'h\\303\\251llo\\n'", "--out", results.toString())
                    .toArray(String[]::new));
            assertEquals(0, first.exitCode(), first.err());
            byte[] written = Files.readAllBytes(results);
            int lastLineStart = lastIndexOf(written, (byte) '\n', written.length - 2) + 1;
            int cut = indexOf(written, (byte) 0xc3, lastLineStart) + 1;
            byte[] torn = Arrays.copyOfRange(written, lastLineStart, cut);
            Files.write(results, Arrays.copyOf(written, cut));
            String tornHost = (String) ((Map<?, ?>) parse(new String(written, lastLineStart,
                    written.length - lastLineStart, StandardCharsets.UTF_8))).get("host");

            CliRun resumed = CliRun.of(args(fleet, "-c", "printf 'h\\303\\251llo\\n'", "--out", results.toString(),
                    "--resume", results.toString()).toArray(String[]::new));
            assertEquals(0, resumed.exitCode(), resumed.err());
            assertTrue(resumed.err().contains("warning: " + results + ":" + HOSTS + ": "), resumed.err());
            assertTrue(resumed.err().contains("1 hosts in") && resumed.err().contains((HOSTS - 1)
                    + " already ok in the resume file"), resumed.err());
            List<byte[]> lines = lines(Files.readAllBytes(results));
            assertEquals(HOSTS + 1, lines.size(), "the torn line, then the rerun host's on a line of its own");
            assertArrayEquals(torn, lines.get(HOSTS - 1), "the torn line is left as it was");
            Map<?, ?> rerun = (Map<?, ?>) parse(new String(lines.get(HOSTS), StandardCharsets.UTF_8));
            assertEquals(tornHost, rerun.get("host"));
            assertEquals("ok", rerun.get("status"));
            assertEquals("h\u00e9llo\n", ((Map<?, ?>) ((List<?>) rerun.get("steps")).get(0)).get("stdout"));

            CliRun again = CliRun.of(args(fleet, "-c", "true", "--resume", results.toString())
                    .toArray(String[]::new));
            assertEquals(0, again.exitCode(), again.err());
            assertTrue(again.err().contains("0 hosts in") && again.err().contains(HOSTS
                    + " already ok in the resume file"), again.err());
            assertTrue(again.err().contains(results + ":" + HOSTS + ": "), "the torn line, now inside the file, "
                    + "is still named: " + again.err());
        }
    }

    /**
     * A results file re-serialised with its keys sorted, a record a line as {@code jq -S -c .} writes it, or
     * pretty-printed as {@code jq -S .} does, resumes exactly the hosts missing from it (here two, as if the run had
     * been killed before them) and the one that failed; the document of {@code --format json}, saved, resumes
     * exactly the failed host. The sorted JSON is written by Jackson's databind, not by fanout.
     */
    @Test
    void resumesExactlyTheMissingHostsFromAFileRewrittenWithSortedKeys() throws Exception {
        FleetConfig config = FleetConfig.of(HOSTS, "root", Secret.of(PASSWORD))
                .withFaults(List.of(Fault.on(FaultType.REJECT_CREDENTIALS, 1)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            List<Host> hosts = fleet.hosts();
            Path results = dir.resolve("results.jsonl");
            CliRun first = CliRun.of(args(fleet, "-c", "hostname", "--out", results.toString(), "--format", "json")
                    .toArray(String[]::new));
            assertEquals(1, first.exitCode(), first.err());
            Set<Host> killedBefore = Set.of(hosts.get(3), hosts.get(4));
            JsonMapper sorted = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build();
            StringBuilder compact = new StringBuilder();
            StringBuilder pretty = new StringBuilder();
            for (String line : Files.readAllLines(results, StandardCharsets.UTF_8)) {
                JsonNode record = sorted.readTree(line);
                if (!killedBefore.contains(host(record))) {
                    compact.append(sorted.writeValueAsString(record)).append('\n');
                    pretty.append(sorted.writerWithDefaultPrettyPrinter().writeValueAsString(record)).append('\n');
                }
            }
            assertTrue(compact.toString().startsWith("{\"attempts\":1,\"detail\":"), compact.toString());
            Set<Host> missing = Set.of(hosts.get(1), hosts.get(3), hosts.get(4));
            Path document = dir.resolve("run.json");
            Files.writeString(document, first.out(), StandardCharsets.UTF_8);
            Map<Path, Set<Host>> expected = Map.of(
                    Files.writeString(dir.resolve("sorted.jsonl"), compact, StandardCharsets.UTF_8), missing,
                    Files.writeString(dir.resolve("pretty.json"), pretty, StandardCharsets.UTF_8), missing,
                    document, Set.of(hosts.get(1)));

            for (Map.Entry<Path, Set<Host>> resume : expected.entrySet()) {
                Path rerun = dir.resolve("rerun-" + resume.getKey().getFileName());
                CliRun resumed = CliRun.of(args(fleet, "-c", "hostname", "--resume", resume.getKey().toString(),
                        "--out", rerun.toString()).toArray(String[]::new));
                assertEquals(1, resumed.exitCode(), resumed.err());
                assertFalse(resumed.err().contains("warning"), resumed.err());
                Set<Host> ran = new HashSet<>();
                for (String line : Files.readAllLines(rerun, StandardCharsets.UTF_8)) {
                    assertTrue(ran.add(host(sorted.readTree(line))), line);
                }
                assertEquals(resume.getValue(), ran, resume.getKey().toString());
                assertTrue(resumed.err().contains((HOSTS - ran.size()) + " already ok in the resume file"),
                        resumed.err());
            }
        }
    }

    /**
     * The done-when of results as a contract: a results file re-serialised by the real {@code jq -S -c .} (keys
     * sorted, one value a line) resumes exactly the missing hosts: of the {@code --out} lines with two hosts' lines
     * gone (a run killed before them), those two and the one that failed; of the saved {@code --format json}
     * document, sorted onto one line by {@code jq -S -c .} or pretty-printed by {@code jq -S .}, the failed host.
     */
    @Test
    void resumesExactlyTheMissingHostsFromAFileRewrittenByJq() throws Exception {
        FleetConfig config = FleetConfig.of(HOSTS, "root", Secret.of(PASSWORD))
                .withFaults(List.of(Fault.on(FaultType.REJECT_CREDENTIALS, 2)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            List<Host> hosts = fleet.hosts();
            Path results = dir.resolve("results.jsonl");
            CliRun first = CliRun.of(args(fleet, "-c", "hostname", "--out", results.toString(), "--format", "json")
                    .toArray(String[]::new));
            assertEquals(1, first.exitCode(), first.err());
            Set<Host> killedBefore = Set.of(hosts.get(0), hosts.get(5));
            Path cut = dir.resolve("cut.jsonl");
            JsonMapper mapper = JsonMapper.builder().build();
            Files.write(cut, Files.readAllLines(results, StandardCharsets.UTF_8).stream()
                    .filter(line -> !killedBefore.contains(host(mapper.readTree(line)))).toList());
            Path document = Files.writeString(dir.resolve("run.json"), first.out(), StandardCharsets.UTF_8);

            Path sortedLines = Files.writeString(dir.resolve("sorted.jsonl"), Jq.run(cut, "-S", "-c", "."));
            Path sortedDocument = Files.writeString(dir.resolve("sorted.json"), Jq.run(document, "-S", "-c", "."));
            Path prettyDocument = Files.writeString(dir.resolve("pretty.json"), Jq.run(document, "-S", "."));
            assertTrue(Files.readString(sortedLines).startsWith("{\"attempts\":1,\"detail\":"),
                    Files.readString(sortedLines));
            assertEquals(1, Files.readAllLines(sortedDocument).size(), "jq -c: the document on one line");
            Map<Path, Set<Host>> expected = Map.of(sortedLines, Set.of(hosts.get(0), hosts.get(2), hosts.get(5)),
                    sortedDocument, Set.of(hosts.get(2)), prettyDocument, Set.of(hosts.get(2)));

            for (Map.Entry<Path, Set<Host>> resume : expected.entrySet()) {
                Path rerun = dir.resolve("rerun-" + resume.getKey().getFileName());
                CliRun resumed = CliRun.of(args(fleet, "-c", "hostname", "--resume", resume.getKey().toString(),
                        "--out", rerun.toString()).toArray(String[]::new));
                assertEquals(1, resumed.exitCode(), resumed.err());
                assertFalse(resumed.err().contains("warning"), resumed.err());
                Set<Host> ran = new HashSet<>();
                for (String line : Files.readAllLines(rerun, StandardCharsets.UTF_8)) {
                    assertTrue(ran.add(host(mapper.readTree(line))), line);
                }
                assertEquals(resume.getValue(), ran, resume.getKey().toString());
                assertTrue(resumed.err().contains((HOSTS - ran.size()) + " already ok in the resume file"),
                        resumed.err());
            }
        }
    }

    /** A resume file with a result of a newer schema version is refused before any host runs: exit 2. */
    @Test
    void refusesToResumeFromResultsOfANewerSchemaVersion() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(2, "root", Secret.of(PASSWORD)))) {
            Path results = dir.resolve("results.jsonl");
            CliRun first = CliRun.of(args(fleet, "-c", "hostname", "--out", results.toString())
                    .toArray(String[]::new));
            assertEquals(0, first.exitCode(), first.err());
            List<String> lines = Files.readAllLines(results, StandardCharsets.UTF_8);
            Files.write(results, List.of(lines.get(0), lines.get(1).replace("\"schemaVersion\":1,",
                    "\"schemaVersion\":2,")), StandardCharsets.UTF_8);

            CliRun resumed = CliRun.of(args(fleet, "-c", "hostname", "--resume", results.toString())
                    .toArray(String[]::new));

            assertEquals(2, resumed.exitCode(), resumed.err());
            assertEquals(List.of("fanout run: " + results + ":2: results of schema version 2, newer than this fanout "
                    + "reads (1 and older): use a newer fanout"), resumed.err().lines().toList());
            assertEquals("", resumed.out());
        }
    }

    private static Host host(JsonNode record) {
        return new Host(record.get("host").asString(), record.get("port").asInt(), record.get("user").asString());
    }

    /**
     * {@code --out /dev/full} fails at the first result: the run stops at once (hosts not started are skipped), says
     * so in one line naming the file, exits 2, and still prints every host's result, in text and in JSON. A file
     * that cannot be opened is an error before any host runs.
     */
    @Test
    void stopsTheRunWithExit2WhenTheResultsFileCannotBeWritten() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(20, "root", Secret.of(PASSWORD)))) {
            Path noDirectory = dir.resolve("missing/results.jsonl");
            CliRun unopened = CliRun.of(args(fleet, "-c", "hostname", "--out", noDirectory.toString())
                    .toArray(String[]::new));
            assertEquals(2, unopened.exitCode(), unopened.err());
            assertEquals(List.of("fanout run: cannot open " + noDirectory + " for results: " + noDirectory
                    + " (No such file or directory)"), unopened.err().lines().toList());
            assertEquals("", unopened.out());

            CliRun text = CliRun.of(args(fleet, "-c", "hostname", "--max-in-flight", "2", "--out", "/dev/full")
                    .toArray(String[]::new));
            assertEquals(2, text.exitCode(), text.err());
            List<String> errors = text.err().lines().filter(line -> !line.startsWith("fanout: 20 hosts in")).toList();
            assertEquals(1, errors.size(), "one error line: " + text.err());
            assertTrue(errors.get(0).startsWith("fanout run: cannot write results to /dev/full: No space left on "
                    + "device"), errors.get(0));
            assertTrue(text.err().contains("skipped"), "hosts not started are skipped: " + text.err());
            for (int i = 0; i < 20; i++) {
                String host = fleet.hosts().get(i).address() + ":" + fleet.port() + ": ";
                assertTrue(text.out().contains(host), "every host's result is printed: " + host);
            }

            CliRun json = CliRun.of(args(fleet, "-c", "hostname", "--max-in-flight", "2", "--out", "/dev/full",
                    "--format", "json").toArray(String[]::new));
            assertEquals(2, json.exitCode(), json.err());
            assertEquals(20, ((List<?>) ((Map<?, ?>) parse(json.out())).get("hosts")).size(), json.out());
            assertFalse(json.err().contains("WARN"), json.err());
        }
    }

    private static Object parse(String json) {
        return new Load(LoadSettings.builder().build()).loadFromString(json);
    }

    private static int indexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        throw new AssertionError("no byte " + wanted + " from " + from);
    }

    private static int lastIndexOf(byte[] bytes, byte wanted, int from) {
        for (int i = from; i >= 0; i--) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** The file's lines as bytes; the file must end with a newline. */
    private static List<byte[]> lines(byte[] bytes) {
        assertEquals('\n', bytes[bytes.length - 1], "the file ends with a newline");
        List<byte[]> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (byte b : bytes) {
            if (b == '\n') {
                lines.add(line.toByteArray());
                line.reset();
            } else {
                line.write(b);
            }
        }
        return lines;
    }
}
