package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.HostTimings;
import dev.fanout.Output;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code fanout merge}: the {@code --out} files of the three shares of a run over one simulated fleet of 30 hosts,
 * three of them failing, merged, are that run's results, as one run over the whole fleet prints them; and what it
 * refuses (a host recorded twice, a file that is not whole results, a newer schema version) or names (the hosts
 * of the inventory without a record).
 */
class MergeCommandTest {

    private static final String PASSWORD = "merge-command-test";
    private static final int SHARDS = 3;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    static Path fleetDir;

    @TempDir
    Path dir;

    private static SimulatedFleet fleet;
    private static Path inventory;
    private static Path knownHosts;
    private static Path password;
    private static List<Path> shards;
    private static List<Integer> shardCodes;
    private static Schema schema;

    /** One fleet, three failing hosts (two refuse the password, one shows another host key), and its shares' runs. */
    @BeforeAll
    static void runTheShares() throws IOException {
        fleet = SimulatedFleet.start(FleetConfig.of(30, "root", Secret.of(PASSWORD)).withFaults(List.of(
                Fault.on(FaultType.REJECT_CREDENTIALS, 4, 17), Fault.on(FaultType.HOST_KEY_CHANGED, 23))));
        inventory = fleetDir.resolve("hosts.txt");
        fleet.writeInventory(inventory);
        knownHosts = fleetDir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        password = fleetDir.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        shards = new ArrayList<>();
        shardCodes = new ArrayList<>();
        for (int k = 0; k < SHARDS; k++) {
            Path out = fleetDir.resolve("shard-" + k + ".jsonl");
            CliRun share = run("--shard", k + "/" + SHARDS, "--out", out.toString());
            shards.add(out);
            shardCodes.add(share.exitCode());
        }
        try (InputStream in = ResultsJson.class.getResourceAsStream("results.schema.json")) {
            assertNotNull(in, "results.schema.json beside ResultsJson");
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(MAPPER
                    .readTree(in));
        }
    }

    @AfterAll
    static void stopFleet() {
        fleet.close();
    }

    /** {@code fanout run} of {@code hostname} on the fleet's inventory, with {@code extra} options. */
    private static CliRun run(String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-i", inventory.toString(), "--password-file",
                password.toString(), "--known-hosts", knownHosts.toString(), "--no-progress", "--no-ssh-config",
                "-c", "hostname"));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static CliRun merge(List<Path> files, String... extra) {
        List<String> args = new ArrayList<>(List.of("merge", "--no-ssh-config"));
        files.forEach(file -> args.add(file.toString()));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertRefused(CliRun merged, String... expected) {
        assertEquals(2, merged.exitCode(), merged.err());
        for (String text : expected) {
            assertTrue(merged.err().contains(text), "'" + text + "' in: " + merged.err());
        }
        assertEquals(1, merged.err().lines().count(), "one line: " + merged.err());
        assertFalse(merged.err().contains("Exception"), merged.err());
        assertEquals("", merged.out());
    }

    /** The hosts of a document, without what differs from one run to the next: the times. */
    private static JsonNode timeless(String document) {
        JsonNode hosts = MAPPER.readTree(document).get("hosts");
        for (JsonNode host : hosts) {
            ((ObjectNode) host).remove("timings");
            host.get("steps").forEach(step -> ((ObjectNode) step).remove("durationMs"));
        }
        return hosts;
    }

    /** The summary line, its time left out. */
    private static String summary(String err) {
        return err.lines().filter(line -> line.startsWith("fanout: ")).findFirst().orElseThrow()
                .replaceAll(" in [0-9.]+s:", " in -s:");
    }

    private static List<String> sorted(String text) {
        return text.lines().sorted().toList();
    }

    @Test
    void theSharesMergedAreOneRunOfTheWholeFleet() {
        CliRun whole = run("--format", "json");
        assertEquals(1, whole.exitCode(), whole.err());

        CliRun json = merge(shards, "-i", inventory.toString(), "--format", "json");
        assertEquals(whole.exitCode(), json.exitCode(), json.err());
        assertEquals(List.of(), List.copyOf(schema.validate(json.out(), InputFormat.JSON)), json.out());
        assertEquals(timeless(whole.out()), timeless(json.out()));
        JsonNode summary = MAPPER.readTree(json.out()).get("summary");
        assertEquals(30, summary.get("hosts").asInt());
        assertEquals(27, summary.get("ok").asInt());
        assertEquals(3, summary.get("failed").asInt());
        assertEquals(summary(whole.err()), summary(json.err()));

        CliRun text = run();
        CliRun mergedText = merge(shards);
        assertEquals(text.exitCode(), mergedText.exitCode(), mergedText.err());
        assertEquals(sorted(text.out()), sorted(mergedText.out()));
        assertTrue(mergedText.out().contains(fleet.hosts().get(4).address() + ":" + fleet.port() + ": FAILED: "),
                mergedText.out());
        assertEquals(summary(text.err()), summary(mergedText.err()));

        CliRun grouped = run("--group");
        CliRun mergedGroups = merge(shards, "-i", inventory.toString(), "--group");
        assertEquals(grouped.exitCode(), mergedGroups.exitCode(), mergedGroups.err());
        assertEquals(grouped.out(), mergedGroups.out());
    }

    @Test
    void eachShareMergedWithItsShardOptionHasItsRunsExitCodeAndNoHostMissing() {
        for (int k = 0; k < SHARDS; k++) {
            CliRun share = merge(List.of(shards.get(k)), "-i", inventory.toString(), "--shard", k + "/" + SHARDS);
            assertEquals(shardCodes.get(k), share.exitCode(), share.err());
            assertFalse(share.err().contains("no record"), share.err());
        }
    }

    @Test
    void namesTheHostsOfTheInventoryWithoutARecordAndCountsThemSkipped() throws IOException {
        List<Path> two = List.of(shards.get(0), shards.get(2));
        List<String> missing = new ArrayList<>();
        for (String line : Files.readAllLines(shards.get(1))) {
            JsonNode record = MAPPER.readTree(line);
            missing.add(record.get("host").asString() + ":" + fleet.port() + ": SKIPPED: "
                    + MergedResults.NO_RECORD);
        }

        CliRun merged = merge(two, "-i", inventory.toString());

        assertEquals(HostJobCommand.SOME_HOSTS_FAILED, merged.exitCode(), merged.err());
        List<String> skipped = merged.out().lines().filter(line -> line.contains(": SKIPPED: ")).toList();
        assertEquals(missing.stream().sorted().toList(), skipped.stream().sorted().toList());
        assertTrue(merged.err().contains(missing.size() + " of the 30 hosts have no record in the files"),
                merged.err());
        assertTrue(merged.err().contains(missing.size() + " skipped"), merged.err());

        CliRun json = merge(two, "-i", inventory.toString(), "--format", "json");
        assertEquals(List.of(), List.copyOf(schema.validate(json.out(), InputFormat.JSON)), json.out());
        assertEquals(missing.size(), MAPPER.readTree(json.out()).get("summary").get("skipped").asInt());

        CliRun unchecked = merge(two);
        assertFalse(unchecked.out().contains("SKIPPED"), "without an inventory, no host is missing");
    }

    @Test
    void refusesAHostRecordedTwiceNamingItAndBothPlaces() throws IOException {
        String second = Files.readAllLines(shards.get(1)).get(1);
        Path again = Files.writeString(dir.resolve("again.jsonl"), second + "\n");
        String host = hostOf(second).toString();

        assertRefused(merge(List.of(shards.get(0), shards.get(1), shards.get(2), again)),
                host + " has two records: " + shards.get(1) + ":2 (", again + ":1 (");
        assertRefused(merge(List.of(shards.get(0), shards.get(0))), "results file " + shards.get(0)
                + " is given twice");
        Path okTwice = Files.writeString(dir.resolve("ok-twice.jsonl"), okLine() + "\n" + okLine() + "\n");
        assertRefused(merge(List.of(okTwice)), okTwice + ":1 (ok) and " + okTwice + ":2 (ok)");
    }

    /**
     * {@code --out} and {@code --resume} on one file, as the Kubernetes Job runs a retried pod: the rerun appends
     * the failed hosts again, and their later records replace the earlier.
     */
    @Test
    void aRerunOfTheFailedHostsInTheSameFileReplacesTheirRecords() throws IOException {
        List<Path> files = new ArrayList<>();
        int failedShare = shardCodes.indexOf(1);
        for (int k = 0; k < SHARDS; k++) {
            Path copy = Files.copy(shards.get(k), dir.resolve("shard-" + k + ".jsonl"));
            files.add(copy);
        }
        Path rerun = files.get(failedShare);
        long before = Files.readAllLines(rerun).size();
        CliRun resumed = run("--shard", failedShare + "/" + SHARDS, "--out", rerun.toString(), "--resume",
                rerun.toString());
        assertEquals(1, resumed.exitCode(), resumed.err());
        assertTrue(Files.readAllLines(rerun).size() > before, "the failed hosts recorded again");

        CliRun merged = merge(files, "-i", inventory.toString(), "--format", "json");

        assertEquals(1, merged.exitCode(), merged.err());
        assertEquals(timeless(merge(shards, "-i", inventory.toString(), "--format", "json").out()),
                timeless(merged.out()));
    }

    @Test
    void refusesWhatIsNotWholeResultsNamingTheFileAndLine() throws IOException {
        List<String> lines = Files.readAllLines(shards.get(0));
        Path torn = Files.writeString(dir.resolve("torn.jsonl"), lines.get(0) + "\n" + lines.get(1).substring(0,
                60) + "\n");
        assertRefused(merge(List.of(torn)), torn + ":2: not whole JSON");

        Path noDetail = Files.writeString(dir.resolve("no-detail.jsonl"), lines.get(0) + "\n"
                + lines.get(1).replaceFirst("\"detail\":\"[^\"]*\",", "") + "\n");
        assertRefused(merge(List.of(noDetail)), noDetail + ":2: not a host record: \"detail\" is missing");

        Path badStep = Files.writeString(dir.resolve("bad-step.jsonl"),
                okLine().replace("\"stdout\":\"sim\\n\"", "\"stdout\":7") + "\n");
        assertRefused(merge(List.of(badStep)), badStep + ":1: not a host record: \"steps[0].stdout\" is not a "
                + "string");

        Path notJson = Files.writeString(dir.resolve("hosts.txt"), "root@web1\n");
        assertRefused(merge(List.of(notJson)), notJson + ":1: not whole JSON");

        Path absent = dir.resolve("absent.jsonl");
        assertRefused(merge(List.of(absent)), "cannot read results file " + absent + ": no such file");
        assertRefused(merge(List.of(dir)), "cannot read results file " + dir + ": ");
    }

    @Test
    void refusesANewerSchemaVersion() throws IOException {
        Path newer = Files.writeString(dir.resolve("newer.jsonl"), okLine() + "\n"
                + okLine().replace("\"schemaVersion\":1", "\"schemaVersion\":2").replace("web1", "web2") + "\n");
        assertRefused(merge(List.of(newer)), newer + ":2: results of schema version 2, newer than this fanout reads");
    }

    @Test
    void refusesARecordOfAHostTheHostOptionsDoNotChooseAndJUnitXml() throws IOException {
        Path other = Files.writeString(dir.resolve("other.jsonl"), okLine() + "\n");
        assertRefused(merge(List.of(shards.get(0), other), "-i", inventory.toString()),
                other + ":1: root@web1:22 is not one of the 30 hosts");
        assertRefused(merge(List.of(other), "--format", "junit"), "--format junit is not available for merge");
        assertRefused(merge(List.of(other), "--shard", "0/3"), "no hosts: give -i FILE or -H HOSTS");
    }

    /**
     * Records of every kind of step (a command cut at the output limit, a file and a tree transferred), of version
     * 0 (no {@code schemaVersion}) too, print as the run printed them, and their document holds each record as
     * written, with this version.
     */
    @Test
    void printsEveryKindOfStepAsARunDoes() throws IOException {
        Host host = new Host("web1", 22, "root");
        ExecResult exec = new ExecResult("cat big", ExitStatus.exited(0),
                Output.of("line 1\nline\u001b2".getBytes(StandardCharsets.UTF_8), 5000),
                Output.of("warn\n".getBytes(StandardCharsets.UTF_8), 5), Duration.ofMillis(3));
        TransferResult file = new TransferResult("/tmp/a", "a.txt", 3, Duration.ofMillis(4), Optional.of("ab"
                .repeat(32)), TransferResult.Method.SFTP);
        TreeTransferResult tree = new TreeTransferResult("/etc/app", "conf", List.of(file),
                List.of(new TreeTransferResult.Skipped("current", "a symbolic link")), TransferResult.Method.EXEC,
                Duration.ofMillis(9), true);
        HostResult result = new HostResult(host, HostStatus.OK, Optional.empty(), "", List.of(
                new StepResult.Executed(Step.exec("cat big"), exec),
                new StepResult.Transferred(Step.upload(Files.writeString(dir.resolve("a.txt"), "abc"), "/tmp/a"),
                        file),
                new StepResult.TreeTransferred(Step.downloadTree("/etc/app", Path.of("conf")), tree)),
                new HostTimings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(1500)), 1, List.of());
        String line = ResultsJson.hostLine(result);
        Path records = Files.writeString(dir.resolve("records.jsonl"), line.replace("\"schemaVersion\":1,", "")
                + "\n");

        CliRun text = merge(List.of(records));

        assertEquals(0, text.exitCode(), text.err());
        assertEquals(List.of("web1: line 1", "web1: line\\x1b2", "web1: [stderr] warn",
                "web1: [output cut at the limit: 5000 bytes on stdout, 5 on stderr]",
                "web1: a.txt -> /tmp/a (3 bytes, 4 ms, sha256 " + "ab".repeat(32) + ")",
                "web1: /etc/app -> conf (1 files, 3 bytes, 9 ms, over exec (no SFTP))",
                "web1: skipped current (a symbolic link)"), text.out().lines().toList());
        assertEquals("fanout: 1 hosts in 1.5s: 1 ok", text.err().strip());

        CliRun json = merge(List.of(records), "--format", "json");
        assertEquals(List.of(), List.copyOf(schema.validate(json.out(), InputFormat.JSON)), json.out());
        assertEquals(MAPPER.readTree(line), MAPPER.readTree(json.out()).get("hosts").get(0));
    }

    private static Host hostOf(String line) {
        JsonNode record = MAPPER.readTree(line);
        return new Host(record.get("host").asString(), record.get("port").asInt(), record.get("user").asString());
    }

    /** A record of an ok host outside the fleet, {@code root@web1:22}, that printed {@code sim}. */
    private static String okLine() {
        ExecResult exec = new ExecResult("hostname", ExitStatus.exited(0), Output.of("sim\n".getBytes(
                StandardCharsets.UTF_8), 4), Output.of(new byte[0], 0), Duration.ofMillis(2));
        return ResultsJson.hostLine(new HostResult(new Host("web1", 22, "root"), HostStatus.OK, Optional.empty(), "",
                List.of(new StepResult.Executed(Step.exec("hostname"), exec)), HostTimings.NONE, 1, List.of()));
    }
}
