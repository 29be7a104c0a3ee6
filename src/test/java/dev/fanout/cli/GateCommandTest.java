package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gate's arithmetic and verdicts, on results in JMH's JSON format. */
class GateCommandTest {

    @TempDir
    Path dir;

    private static String run(String mode, String driver, int hosts, double seconds, double cpuPerHost) {
        return """
                {"benchmark": "dev.fanout.internal.schedule.RunBenchmark.run", "mode": "ss",
                 "params": {"hosts": "%d", "mode": "%s", "driver": "%s", "latency": "100ms"},
                 "primaryMetric": {"score": %s, "scoreUnit": "s/op"},
                 "secondaryMetrics": {"client.cpu.ms.per.host": {"score": %s, "scoreUnit": "ms"}}}
                """.formatted(hosts, mode, driver, seconds, cpuPerHost);
    }

    private Path results(double virtualSeconds, double cpuPerHost) throws Exception {
        String calibration = """
                {"benchmark": "dev.fanout.internal.hostkey.HandshakeCryptoBenchmark.handshake", "mode": "avgt",
                 "params": {}, "primaryMetric": {"score": 0.5, "scoreUnit": "ms/op"}, "secondaryMetrics": {}}
                """;
        Path file = dir.resolve("results.json");
        Files.writeString(file,
                "[" + String.join(",", run("PLATFORM", "mina", 50, 9, 9), run("VIRTUAL", "mina", 50, 9, 9),
                        run("ASYNC", "mina", 50, 9, 9), run("PLATFORM", "mina", 200, 4.0, 8),
                        run("VIRTUAL", "mina", 200,
                                virtualSeconds, cpuPerHost),
                        run("ASYNC", "mina", 200, 1.1, 5), run("VIRTUAL", "jsch", 200, 99, 99),
                        calibration) + "]");
        return file;
    }

    private Path baseline() throws Exception {
        Path file = dir.resolve("baseline.json");
        Files.writeString(file, """
                {"tolerance": 0.5, "ratios": {"virtual_over_platform": 0.25,
                 "async_over_virtual": 1.1, "cpu_per_host_over_calibration": 10}}
                """);
        return file;
    }

    private static int gate(Path baseline, Path results, StringWriter out, String... more) {
        var line = FanoutCommand.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(out));
        List<String> args = new ArrayList<>(List.of("gate", "--baseline", baseline.toString(), "--results",
                results.toString()));
        args.addAll(List.of(more));
        return line.execute(args.toArray(String[]::new));
    }

    /** With --startup, the start-up ratio of config/bench/startup-ratio.sh is gated as well. */
    @Test
    void gatesTheStartUpRatioFromItsFile() throws Exception {
        Path baseline = dir.resolve("with-startup.json");
        Files.writeString(baseline, """
                {"tolerance": 0.5, "ratios": {"virtual_over_platform": 0.25, "async_over_virtual": 1.1,
                 "cpu_per_host_over_calibration": 10, "startup_over_java_version": 6}}
                """);
        Path fast = dir.resolve("fast.json");
        Files.writeString(fast, "{\"startup_over_java_version\": 8.5}");
        StringWriter within = new StringWriter();
        assertEquals(0, gate(baseline, results(1.0, 5.0), within, "--startup", fast.toString()), within.toString());
        assertTrue(within.toString().contains("startup_over_java_version") && within.toString().contains("8.500"),
                within.toString());

        Path slow = dir.resolve("slow.json");
        Files.writeString(slow, "{\"startup_over_java_version\": 9.5}");
        StringWriter beyond = new StringWriter();
        assertEquals(1, gate(baseline, results(1.0, 5.0), beyond, "--startup", slow.toString()), beyond.toString());
        assertTrue(beyond.toString().contains("REGRESSION"), beyond.toString());

        Path empty = dir.resolve("empty.json");
        Files.writeString(empty, "{}");
        StringWriter missing = new StringWriter();
        assertEquals(2, gate(baseline, results(1.0, 5.0), missing, "--startup", empty.toString()), missing.toString());
        assertTrue(missing.toString().contains(empty + ": no \"startup_over_java_version\""), missing.toString());
    }

    /**
     * With --heap, the heap of a pooled session (config/bench/pooled-sessions.sh) is gated against its KB, with its
     * own tolerance where the baseline gives one.
     */
    @Test
    void gatesThePooledSessionsHeapFromItsFile() throws Exception {
        Path baseline = dir.resolve("with-heap.json");
        Files.writeString(baseline, """
                {"tolerance": 0.5, "ratios": {"virtual_over_platform": 0.25, "async_over_virtual": 1.1,
                 "cpu_per_host_over_calibration": 10, "pooled_session_heap_kb": 24},
                 "tolerances": {"pooled_session_heap_kb": 0.15}}
                """);
        Path small = dir.resolve("small.json");
        Files.writeString(small, "{\"pooled_session_heap_kb\": 26}");
        StringWriter within = new StringWriter();
        assertEquals(0, gate(baseline, results(1.0, 5.0), within, "--heap", small.toString()), within.toString());
        assertTrue(within.toString().contains("pooled_session_heap_kb") && within.toString().contains("26.000")
                && within.toString().contains("27.600"),
                within.toString());

        Path large = dir.resolve("large.json");
        Files.writeString(large, "{\"pooled_session_heap_kb\": 30.5}"); // within the global 0.5
        StringWriter beyond = new StringWriter();
        assertEquals(1, gate(baseline, results(1.0, 5.0), beyond, "--heap", large.toString()), beyond.toString());
        assertTrue(beyond.toString().contains("REGRESSION"), beyond.toString());

        Path other = dir.resolve("startup-instead.json");
        Files.writeString(other, "{\"startup_over_java_version\": 7}");
        StringWriter missing = new StringWriter();
        assertEquals(2, gate(baseline, results(1.0, 5.0), missing, "--heap", other.toString()), missing.toString());
        assertTrue(missing.toString().contains(other + ": no \"pooled_session_heap_kb\""), missing.toString());
    }

    @Test
    void passesWithinTheToleranceUsingTheLargestHostCountAndTheMinaDriver() throws Exception {
        StringWriter out = new StringWriter();
        assertEquals(0, gate(baseline(), results(1.0, 5.0), out), out.toString());
        assertTrue(out.toString().contains("virtual_over_platform") && out.toString().contains("0.250"),
                out.toString());
        assertTrue(out.toString().contains("fanout gate: pass"), out.toString());
    }

    @Test
    void failsWhenARatioRegressesBeyondTheTolerance() throws Exception {
        StringWriter slowVirtual = new StringWriter();
        assertEquals(1, gate(baseline(), results(2.0, 5.0), slowVirtual), slowVirtual.toString());
        assertTrue(slowVirtual.toString().contains("REGRESSION"), slowVirtual.toString());
        StringWriter costlyHosts = new StringWriter();
        assertEquals(1, gate(baseline(), results(1.0, 8.0), costlyHosts), costlyHosts.toString());
    }

    /** Malformed JSON is exit 2 naming the file, line and column; so is JSON that only YAML would take. */
    @Test
    void refusesMalformedJsonNamingFileLineAndColumn() throws Exception {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"tolerance\": 0.5,\n \"ratios\": {\"virtual_over_platform\": 0.25,}}\n");
        StringWriter out = new StringWriter();
        assertEquals(2, gate(broken, results(1.0, 5.0), out), out.toString());
        assertTrue(out.toString().startsWith("fanout gate: " + broken + ":2:"), out.toString());
        assertEquals(1, out.toString().lines().count(), out.toString());

        Path yaml = dir.resolve("yaml.json");
        Files.writeString(yaml, "tolerance: 0.5\nratios: {virtual_over_platform: 0.25}\n");
        StringWriter yamlOut = new StringWriter();
        assertEquals(2, gate(yaml, results(1.0, 5.0), yamlOut), yamlOut.toString());
        assertTrue(yamlOut.toString().startsWith("fanout gate: " + yaml + ":1:1: not valid JSON"),
                yamlOut.toString());

        Path noRatios = dir.resolve("no-ratios.json");
        Files.writeString(noRatios, "{\"tolerance\": 0.5}");
        StringWriter noRatiosOut = new StringWriter();
        assertEquals(2, gate(noRatios, results(1.0, 5.0), noRatiosOut), noRatiosOut.toString());
        assertEquals("fanout gate: " + noRatios + ": no \"ratios\"", noRatiosOut.toString().strip());
    }

    /** JSON of another shape is exit 2 naming the file and what it should hold. */
    @Test
    void refusesJsonOfAnotherShapeNamingTheFile() throws Exception {
        Path array = dir.resolve("array.json");
        Files.writeString(array, "[0.5]");
        StringWriter arrayOut = new StringWriter();
        assertEquals(2, gate(array, results(1.0, 5.0), arrayOut), arrayOut.toString());
        assertTrue(arrayOut.toString().startsWith("fanout gate: " + array + ": not a baseline"), arrayOut.toString());

        Path textScore = dir.resolve("text-score.json");
        Files.writeString(textScore,
                Files.readString(results(1.0, 5.0)).replace("\"score\": 0.5", "\"score\": \"NaN\""));
        StringWriter scoreOut = new StringWriter();
        assertEquals(2, gate(baseline(), textScore, scoreOut), scoreOut.toString());
        assertEquals("fanout gate: " + textScore + ": not JMH results as fanout bench writes them: a field is missing "
                + "or of another type", scoreOut.toString().strip());

        Path object = dir.resolve("object.json");
        Files.writeString(object, "{}");
        StringWriter objectOut = new StringWriter();
        assertEquals(2, gate(baseline(), object, objectOut), objectOut.toString());
        assertTrue(objectOut.toString().startsWith("fanout gate: " + object + ": not JMH results"),
                objectOut.toString());
    }

    /** {@code fanout bench} joins JMH's result files into the one array the gate reads. */
    @Test
    void readsTheArrayBenchJoinsFromJmhFiles() throws Exception {
        Path all = results(1.0, 5.0);
        String text = Files.readString(all);
        Path first = dir.resolve("part-0.json");
        Path second = dir.resolve("part-1.json");
        Path empty = dir.resolve("part-2.json");
        int split = text.indexOf("{\"benchmark\"", text.indexOf("{\"benchmark\"") + 1);
        Files.writeString(first, text.substring(0, split - 1) + "]");
        Files.writeString(second, "[" + text.substring(split));
        Files.writeString(empty, "[ ]");
        Path joined = dir.resolve("joined.json");

        BenchMain.joinArrays(List.of(first, second, empty), joined);

        StringWriter out = new StringWriter();
        assertEquals(0, gate(baseline(), joined, out), out.toString());
        StringWriter direct = new StringWriter();
        gate(baseline(), all, direct);
        assertEquals(direct.toString(), out.toString());
        assertTrue(Files.readString(joined).startsWith("[ {"), Files.readString(joined));
    }

    @Test
    void refusesResultsMissingABenchmark() throws Exception {
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "[" + run("VIRTUAL", "mina", 200, 1, 1) + "]");
        StringWriter out = new StringWriter();
        assertEquals(2, gate(baseline(), partial, out));
        assertTrue(out.toString().contains("fanout bench --preset ci"), out.toString());
    }
}
