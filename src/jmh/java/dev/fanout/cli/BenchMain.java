package dev.fanout.cli;

import dev.fanout.RunMode;
import dev.fanout.internal.hostkey.HandshakeCryptoBenchmark;
import dev.fanout.internal.schedule.ClientResourcesProfiler;
import dev.fanout.internal.schedule.RunBenchmark;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import tools.jackson.core.JsonGenerator;

/**
 * {@code ./fanout bench [--preset ci|quick|steady|full] [--out DIR]}: runs the JMH suite over the valid
 * combinations of a preset (SERIAL only up to 50 hosts, ASYNC only with mina), then writes {@code results.json}
 * (JMH's JSON, every run in one array, the input of {@code fanout gate}) and {@code results.md} (hosts x mode,
 * seconds, as the reference benchmark's tables, with client and fleet CPU per host, wall time over CPU-bound time, peak
 * threads and heap) and {@code results.svg} (seconds and client CPU per host against hosts, log axes, a line per mode
 * and driver: {@link ScalingChart}).
 *
 * <p>Presets: {@code ci} (a few minutes: 200 hosts, mina, PLATFORM/VIRTUAL/ASYNC, 100 ms, plus the crypto
 * calibration), {@code quick} (about 15 minutes: 10 to 1,000 hosts, both drivers, every mode, 100 ms),
 * {@code steady} (about 10 minutes: 1,000 hosts, VIRTUAL and ASYNC, both drivers, 100 ms, measured after 25 warm-up
 * runs, when the JIT has settled) and {@code full} (hours: 1 to 5,000 hosts, both drivers, every mode, 0 and
 * 100 ms).
 */
public final class BenchMain {

    private record Preset(List<Integer> hosts, List<RunMode> modes, List<String> drivers, List<String> latencies,
            int warmups, int measurements) {
    }

    /** Runs of 1,000 hosts before measuring: by then the JIT has compiled the whole handshake path. */
    private static final int STEADY_WARMUPS = 25;
    private static final List<RunMode> ALL_MODES = List.of(RunMode.values());
    private static final Map<String, Preset> PRESETS = Map.of(
            "ci", new Preset(List.of(200), List.of(RunMode.PLATFORM, RunMode.VIRTUAL, RunMode.ASYNC),
                    List.of("mina"), List.of("100ms"), 1, 2),
            "quick", new Preset(List.of(10, 200, 1000), ALL_MODES, List.of("mina", "jsch"), List.of("100ms"), 1, 2),
            "steady", new Preset(List.of(1000), List.of(RunMode.VIRTUAL, RunMode.ASYNC), List.of("mina", "jsch"),
                    List.of("100ms"), STEADY_WARMUPS, 5),
            "full", new Preset(List.of(1, 10, 50, 100, 200, 500, 1000, 2000, 5000), ALL_MODES,
                    List.of("mina", "jsch"), List.of("0ms", "100ms"), 1, 3));

    private static final int SERIAL_MAX_HOSTS = 50;

    private BenchMain() {
    }

    /** Runs a preset. Exit code 2 for bad arguments. */
    public static void main(String[] args) throws IOException, RunnerException {
        String presetName = "quick";
        Path out = Path.of("target", "bench");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--preset" -> presetName = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("fanout bench: unknown argument '" + args[i] + "'; usage: fanout bench "
                            + "[--preset ci|quick|steady|full] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        Preset preset = PRESETS.get(presetName);
        if (preset == null) {
            System.err.println("fanout bench: unknown preset '" + presetName + "' (ci, quick, steady, full)");
            System.exit(2);
        }
        Files.createDirectories(out);
        List<Path> jsonParts = new ArrayList<>();
        List<RunResult> results = new ArrayList<>();
        int part = 0;
        for (String driver : preset.drivers()) {
            for (RunMode mode : preset.modes()) {
                if (mode == RunMode.ASYNC && !driver.equals("mina")) {
                    continue;
                }
                List<String> hosts = preset.hosts().stream()
                        .filter(count -> mode != RunMode.SERIAL || count <= SERIAL_MAX_HOSTS)
                        .map(String::valueOf).toList();
                if (hosts.isEmpty()) {
                    continue;
                }
                Path json = out.resolve("part-" + part++ + ".json");
                ChainedOptionsBuilder options = new OptionsBuilder()
                        .include(RunBenchmark.class.getName() + ".run")
                        .param("hosts", hosts.toArray(String[]::new))
                        .param("mode", mode.name())
                        .param("driver", driver)
                        .param("latency", preset.latencies().toArray(String[]::new))
                        .warmupIterations(preset.warmups())
                        .measurementIterations(preset.measurements())
                        .addProfiler(ClientResourcesProfiler.class)
                        .resultFormat(ResultFormatType.JSON).result(json.toString());
                results.addAll(new Runner(options.build()).run());
                jsonParts.add(json);
            }
        }
        Path calibration = out.resolve("part-calibration.json");
        Collection<RunResult> crypto = new Runner(new OptionsBuilder()
                .include(HandshakeCryptoBenchmark.class.getName() + ".handshake")
                .resultFormat(ResultFormatType.JSON).result(calibration.toString()).build()).run();
        jsonParts.add(calibration);
        joinArrays(jsonParts, out.resolve("results.json"));
        for (Path jsonPart : jsonParts) {
            Files.delete(jsonPart);
        }
        String table = table(results, crypto, presetName);
        Files.writeString(out.resolve("results.md"), table, StandardCharsets.UTF_8);
        ScalingChart.write("fanout bench, preset " + presetName + " (JMH single shot, fleet in its own process)",
                ScalingChart.CLIENT_CPU_LABEL, chartPoints(out.resolve("results.json")), out.resolve("results.svg"));
        System.out.println(table);
        System.out.println("fanout bench: wrote " + out.resolve("results.json") + ", " + out.resolve("results.md")
                + " and " + out.resolve("results.svg"));
    }

    /**
     * Joins JMH's JSON arrays, one a file, into one array in {@code target}, pretty-printed.
     *
     * @throws IllegalArgumentException naming a file that is not a JSON array
     */
    static void joinArrays(List<Path> arrays, Path target) throws IOException {
        List<Object> runs = new ArrayList<>();
        for (Path array : arrays) {
            if (!(Json.read(array) instanceof List<?> elements)) {
                throw new IllegalArgumentException(array + ": not a JSON array of JMH results");
            }
            runs.addAll(elements);
        }
        try (Writer writer = Files.newBufferedWriter(target, StandardCharsets.UTF_8);
                JsonGenerator json = Json.prettyGenerator(writer)) {
            Json.write(json, runs);
        }
    }

    private static String table(List<RunResult> results, Collection<RunResult> crypto, String preset) {
        Map<String, Map<String, String>> rows = new TreeMap<>((a, b) -> {
            String[] left = a.split(" ", -1);
            String[] right = b.split(" ", -1);
            int byLatency = left[1].compareTo(right[1]);
            return byLatency != 0 ? byLatency : Integer.compare(Integer.parseInt(left[0]), Integer.parseInt(right[0]));
        });
        TreeSet<String> columns = new TreeSet<>();
        StringBuilder details = new StringBuilder();
        for (RunResult result : results) {
            var params = result.getParams();
            String column = params.getParam("mode") + " " + params.getParam("driver");
            String row = params.getParam("hosts") + " " + params.getParam("latency");
            columns.add(column);
            double seconds = result.getPrimaryResult().getScore();
            rows.computeIfAbsent(row, key -> new TreeMap<>()).put(column, String.format(Locale.ROOT, "%.2f", seconds));
            details.append(String.format(Locale.ROOT,
                    "| %s | %s | %s | %s | %.2f | %.2f | %.2f | %.2f | %.0f | %.0f |%n",
                    params.getParam("hosts"), params.getParam("latency"), params.getParam("mode"),
                    params.getParam("driver"), seconds, score(result, "client.cpu.ms.per.host"),
                    score(result, "fleet.cpu.ms.per.host"), score(result, "wall.over.cpu.bound"),
                    score(result, "client.peak.threads"), score(result, "client.peak.heap.mb")));
        }
        StringBuilder table =
                new StringBuilder("fanout bench, preset " + preset + ": seconds per run of the reference workload's "
                        + "3 commands (JMH single-shot, mean of the measured runs)\n\n| hosts | latency |");
        columns.forEach(column -> table.append(' ').append(column).append(" |"));
        table.append("\n| --- | --- |").append(" --- |".repeat(columns.size())).append('\n');
        rows.forEach((row, cells) -> {
            String[] key = row.split(" ", -1);
            table.append("| ").append(key[0]).append(" | ").append(key[1]).append(" |");
            columns.forEach(column -> table.append(' ').append(cells.getOrDefault(column, "")).append(" |"));
            table.append('\n');
        });
        table.append("\n| hosts | latency | mode | driver | seconds | client CPU ms/host | fleet CPU ms/host | ")
                .append("wall / CPU-bound | peak threads | peak heap MB |\n")
                .append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n").append(details);
        crypto.forEach(result -> table.append(String.format(Locale.ROOT,
                "%nCalibration: the JDK's crypto for one handshake takes %.3f ms here.%n",
                result.getPrimaryResult().getScore())));
        return table.toString();
    }

    /**
     * The chart's points, from JMH's JSON results of {@code RunBenchmark}: a line per mode and driver (and latency,
     * where the runs have several); other benchmarks (the calibration) are left out.
     */
    static List<ScalingChart.Point> chartPoints(Path resultsJson) {
        if (!(Json.read(resultsJson) instanceof List<?> runs)) {
            throw new IllegalArgumentException(resultsJson + ": not a JSON array of JMH results");
        }
        List<Map<?, ?>> scaling = runs.stream().<Map<?, ?>>map(run -> (Map<?, ?>) run)
                .filter(run -> run.get("params") instanceof Map<?, ?> params && params.get("hosts") != null)
                .toList();
        boolean byLatency = scaling.stream().map(run -> ((Map<?, ?>) run.get("params")).get("latency")).distinct()
                .count() > 1;
        return scaling.stream().map(run -> {
            Map<?, ?> params = (Map<?, ?>) run.get("params");
            Object cpu = ((Map<?, ?>) run.get("secondaryMetrics")).get("client.cpu.ms.per.host");
            return new ScalingChart.Point(params.get("mode") + (byLatency ? " " + params.get("latency") : ""),
                    String.valueOf(params.get("driver")), Integer.parseInt(String.valueOf(params.get("hosts"))),
                    jsonScore(run.get("primaryMetric")), cpu == null ? Double.NaN : jsonScore(cpu));
        }).toList();
    }

    /** A metric's score; NaN where JMH wrote none as a number (it writes "NaN" as a string). */
    private static double jsonScore(Object metric) {
        return ((Map<?, ?>) metric).get("score") instanceof Number score ? score.doubleValue() : Double.NaN;
    }

    /** The score of one of the run's secondary results, NaN where it has none of that name. */
    private static double score(RunResult run, String name) {
        var result = run.getSecondaryResults().get(name);
        return result == null ? Double.NaN : result.getScore();
    }
}
