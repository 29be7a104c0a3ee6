package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.HostTimings;
import dev.fanout.RunReport;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@link ResultRecords} reads: every layout and key order fanout's results come back in, the records of
 * today's build without a schema version, and what it refuses or reports by line.
 */
class ResultRecordsTest {

    private static final Host WEB1 = new Host("web1", 22, "root");
    private static final Host WEB2 = new Host("web2", 2222, "deploy");
    private static final Host DB = new Host("2001:db8::7", 22, "root");

    @TempDir
    Path dir;

    private Path file(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static HostResult result(Host host, HostStatus status) {
        return new HostResult(host, status, Optional.empty(), status == HostStatus.OK ? "" : "exit 1: false",
                List.of(), new HostTimings(Duration.ofMillis(5), Duration.ofMillis(6), Duration.ofMillis(20)), 1,
                List.of());
    }

    @Test
    void readsRecordsInAnyKeyOrderLayoutAndWithUnknownKeys() throws Exception {
        Path file = file("results.jsonl", String.join("\n",
                ResultsJson.hostLine(result(WEB1, HostStatus.OK)),
                "  { \"status\" : \"failed\", \"user\":\"deploy\",\"later\":{\"a\":[1,2]}, \"port\": 2222,",
                "    \"host\": \"web2\", \"schemaVersion\": 1 }",
                "",
                "{\"attempts\":1,\"host\":\"2001:db8::7\",\"port\":22,\"schemaVersion\":1,\"status\":\"ok\","
                        + "\"user\":\"root\"}",
                ""));

        ResultRecords.Contents contents = ResultRecords.read(file);

        assertEquals(List.of(), contents.problems());
        assertEquals(List.of(new ResultRecords.HostRecord(WEB1, "ok", 1, 1),
                new ResultRecords.HostRecord(WEB2, "failed", 1, 2), new ResultRecords.HostRecord(DB, "ok", 1, 5)),
                contents.records());
    }

    @Test
    void readsADocumentAsItsHosts() throws Exception {
        StringWriter document = new StringWriter();
        ResultsJson.writeDocument(document, new RunReport(List.of(result(WEB1, HostStatus.OK),
                result(WEB2, HostStatus.FAILED)), 0, Duration.ofSeconds(1)), 0);
        Path file = file("run.json", document + "\n");

        ResultRecords.Contents contents = ResultRecords.read(file);

        assertEquals(List.of(), contents.problems());
        assertEquals(List.of(new ResultRecords.HostRecord(WEB1, "ok", 1, 2),
                new ResultRecords.HostRecord(WEB2, "failed", 1, 3)), contents.records());
    }

    /** The lines today's build writes: no schemaVersion, read as version 0. */
    @Test
    void readsRecordsWithoutASchemaVersionAsVersion0() throws Exception {
        Path file = file("old.jsonl", "{\"host\":\"web1\",\"port\":22,\"user\":\"root\",\"status\":\"ok\","
                + "\"detail\":\"\",\"error\":null,\"steps\":[{\"type\":\"exec\",\"command\":\"uname\",\"exitCode\":0,"
                + "\"exitSignal\":null,\"stdout\":\"Linux\\n\",\"stderr\":\"\",\"truncated\":false,\"stdoutBytes\":6,"
                + "\"stderrBytes\":0,\"durationMs\":3}],\"timings\":{\"connectMs\":1,\"authMs\":2,\"totalMs\":9},"
                + "\"attempts\":1}\n");

        assertEquals(List.of(new ResultRecords.HostRecord(WEB1, "ok", 0, 1)), ResultRecords.read(file).records());
    }

    @Test
    void refusesANewerSchemaVersionNamingTheFileLineAndVersion() throws Exception {
        String line = ResultsJson.hostLine(result(WEB1, HostStatus.OK));
        Path file = file("newer.jsonl", line + "\n" + line.replace("\"schemaVersion\":1", "\"schemaVersion\":2")
                + "\n");

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ResultRecords.read(file));

        assertTrue(refused.getMessage().startsWith(file + ":2: results of schema version 2, newer than this fanout "
                + "reads (1 and older)"), refused.getMessage());
        Path document = file("newer.json", "{\"schemaVersion\":7,\"summary\":{},\"hosts\":[]}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ResultRecords.read(document)).getMessage()
                .contains(document + ":1: results of schema version 7"));
    }

    /**
     * A line cut short, a value that is no record and a record missing a key are each a problem at their line; the
     * records around them are read.
     */
    @Test
    void reportsWhatIsNotARecordByLine() throws Exception {
        String ok = ResultsJson.hostLine(result(WEB1, HostStatus.OK));
        String other = ResultsJson.hostLine(result(WEB2, HostStatus.OK));
        Path file = file("torn.jsonl", String.join("\n", ok, ok.substring(0, 40), other, "[1, 2]",
                other.replace("\"user\":\"deploy\",", ""),
                other.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\""),
                other.replace("\"port\":2222", "\"port\":70000"), "{\"a\":1} {\"b\":", ""));

        ResultRecords.Contents contents = ResultRecords.read(file);

        assertEquals(List.of(new ResultRecords.HostRecord(WEB1, "ok", 1, 1),
                new ResultRecords.HostRecord(WEB2, "ok", 1, 3)), contents.records());
        assertEquals(List.of(2, 4, 5, 6, 7, 8), contents.problems().stream().map(ResultRecords.Problem::line).toList());
        assertEquals("not a host record: no \"user\" of the right type", contents.problems().get(2).reason());
        assertTrue(contents.problems().get(4).reason().contains("port of web2 must be within 1..65535: 70000"),
                contents.problems().get(4).reason());
    }

    @Test
    void namesAFileThatCannotBeRead() {
        Path directory = dir;
        IllegalArgumentException unreadable = assertThrows(IllegalArgumentException.class,
                () -> ResultRecords.read(directory));
        assertTrue(unreadable.getMessage().startsWith("cannot read results file " + directory + ": "),
                unreadable.getMessage());
    }
}
