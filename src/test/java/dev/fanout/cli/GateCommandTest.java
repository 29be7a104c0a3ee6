package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static int gate(Path baseline, Path results, StringWriter out) {
        var line = FanoutCommand.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(out));
        return line.execute("gate", "--baseline", baseline.toString(), "--results", results.toString());
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

    @Test
    void refusesResultsMissingABenchmark() throws Exception {
        Path partial = dir.resolve("partial.json");
        Files.writeString(partial, "[" + run("VIRTUAL", "mina", 200, 1, 1) + "]");
        StringWriter out = new StringWriter();
        assertEquals(2, gate(baseline(), partial, out));
        assertTrue(out.toString().contains("fanout bench --preset ci"), out.toString());
    }
}
