package dev.fanout.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fanout gate}: the performance gate for CI. Reads the JMH results of {@code fanout bench} and compares ratios
 * measured in the same run, which hold across machines where seconds do not, with a committed baseline:
 * VIRTUAL over PLATFORM and ASYNC over VIRTUAL wall time (mina, at the largest host count measured in all three),
 * and VIRTUAL's client CPU per host over the in-run crypto calibration; with {@code --startup}, also a one-host run's
 * CPU over {@code java -version}'s, from {@code config/bench/startup-ratio.sh}; with {@code --heap}, also the heap an
 * idle pooled session holds, in KB, from {@code config/bench/pooled-sessions.sh} (heap contents do not depend on
 * the machine's speed, so the figure itself is compared). Fails when a figure exceeds its baseline by more than the
 * tolerance: the baseline's {@code tolerance}, or its own in the baseline's optional {@code tolerances} object.
 */
@Command(name = "gate", mixinStandardHelpOptions = true,
        description = "Compares a 'fanout bench' run's ratios with a baseline; fails on a regression.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:within the baseline", "1:a ratio regressed beyond the tolerance",
                "2:unreadable baseline or results, or results missing a needed benchmark"})
final class GateCommand implements Callable<Integer> {

    static final String VIRTUAL_OVER_PLATFORM = "virtual_over_platform";
    static final String ASYNC_OVER_VIRTUAL = "async_over_virtual";
    static final String CPU_OVER_CALIBRATION = "cpu_per_host_over_calibration";
    static final String STARTUP_OVER_JAVA_VERSION = "startup_over_java_version";
    static final String POOLED_SESSION_HEAP_KB = "pooled_session_heap_kb";

    @Spec
    private CommandSpec spec;

    @Option(names = "--baseline", required = true, paramLabel = "FILE",
            description = "Baseline ratios and tolerance (e.g. config/bench-baseline.json).")
    private Path baseline;

    @Option(names = "--results", required = true, paramLabel = "FILE", description = "results.json of fanout bench.")
    private Path results;

    @Option(names = "--startup", paramLabel = "FILE",
            description = "The JSON of config/bench/startup-ratio.sh (adds " + STARTUP_OVER_JAVA_VERSION + ").")
    private Path startup;

    @Option(names = "--heap", paramLabel = "FILE",
            description = "The JSON of config/bench/pooled-sessions.sh (adds " + POOLED_SESSION_HEAP_KB + ").")
    private Path heap;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        double tolerance;
        Map<?, ?> tolerances;
        Map<?, ?> expected;
        Map<String, Double> measured;
        try {
            if (!(Json.read(baseline) instanceof Map<?, ?> base)
                    || !(required(base, "tolerance", baseline) instanceof Number limit)
                    || !(required(base, "ratios", baseline) instanceof Map<?, ?> ratios)) {
                throw new IllegalArgumentException(baseline + ": not a baseline: an object with a number "
                        + "\"tolerance\" and an object \"ratios\"");
            }
            tolerance = limit.doubleValue();
            tolerances = base.get("tolerances") instanceof Map<?, ?> own ? own : Map.of();
            expected = ratios;
            measured = measured(results);
            if (startup != null) {
                measured.put(STARTUP_OVER_JAVA_VERSION, figure(startup, STARTUP_OVER_JAVA_VERSION, "start-up ratios"));
            }
            if (heap != null) {
                measured.put(POOLED_SESSION_HEAP_KB, figure(heap, POOLED_SESSION_HEAP_KB, "a pooled session's heap"));
            }
            for (String ratio : measured.keySet()) {
                if (!(expected.get(ratio) instanceof Number)) {
                    throw new IllegalArgumentException(baseline + ": no number for the ratio \"" + ratio + "\"");
                }
            }
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("fanout gate: " + e.getMessage());
            return FanoutCommand.USAGE_ERROR;
        }
        boolean pass = true;
        out.printf("%-32s %9s %9s %9s  %s%n", "ratio (lower is better)", "baseline", "limit", "measured", "verdict");
        for (Map.Entry<String, Double> ratio : measured.entrySet()) {
            double reference = ((Number) expected.get(ratio.getKey())).doubleValue();
            double limit = reference * (1 + (tolerances.get(ratio.getKey()) instanceof Number own
                    ? own.doubleValue() : tolerance));
            boolean ok = ratio.getValue() <= limit;
            pass &= ok;
            out.printf(Locale.ROOT, "%-32s %9.3f %9.3f %9.3f  %s%n", ratio.getKey(), reference, limit, ratio.getValue(),
                    ok ? "ok" : "REGRESSION");
        }
        out.println(pass ? "fanout gate: pass" : "fanout gate: FAIL (tolerance " + tolerance + ")");
        return pass ? 0 : 1;
    }

    /** The number under {@code key} in the JSON object of {@code file}. */
    private static double figure(Path file, String key, String what) {
        if (!(Json.read(file) instanceof Map<?, ?> figures) || !(required(figures, key, file) instanceof Number n)) {
            throw new IllegalArgumentException(file + ": not " + what + ": an object with a number \"" + key + "\"");
        }
        return n.doubleValue();
    }

    private static Object required(Map<?, ?> object, String key, Path file) {
        Object value = object.get(key);
        if (value == null) {
            throw new IllegalArgumentException(file + ": no \"" + key + "\"");
        }
        return value;
    }

    /** The gate's ratios from the results file of {@code fanout bench}. */
    private static Map<String, Double> measured(Path file) {
        if (!(Json.read(file) instanceof List<?> runs)) {
            throw new IllegalArgumentException(file + ": not JMH results: a JSON array of benchmark runs");
        }
        try {
            return ratios(runs);
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException(file + ": not JMH results as fanout bench writes them: a field is "
                    + "missing or of another type", e);
        }
    }

    /** The gate's ratios from a results array. */
    private static Map<String, Double> ratios(List<?> runs) {
        Map<String, Map<?, ?>> byKey = new LinkedHashMap<>();
        Double calibration = null;
        int largest = 0;
        for (Object element : runs) {
            Map<?, ?> run = (Map<?, ?>) element;
            String benchmark = String.valueOf(run.get("benchmark"));
            if (benchmark.endsWith("HandshakeCryptoBenchmark.handshake")) {
                calibration = score(run.get("primaryMetric"));
            } else if (benchmark.endsWith("RunBenchmark.run")) {
                Map<?, ?> params = (Map<?, ?>) run.get("params");
                if (!"mina".equals(params.get("driver"))) {
                    continue;
                }
                int hosts = Integer.parseInt(String.valueOf(params.get("hosts")));
                byKey.put(params.get("mode") + "/" + hosts + "/" + params.get("latency"), run);
            }
        }
        String latency = byKey.keySet().stream().anyMatch(key -> key.endsWith("/100ms")) ? "100ms" : "0ms";
        for (String key : byKey.keySet()) {
            int hosts = Integer.parseInt(key.split("/", -1)[1]);
            if (hosts > largest && byKey.containsKey("PLATFORM/" + hosts + "/" + latency)
                    && byKey.containsKey("VIRTUAL/" + hosts + "/" + latency)
                    && byKey.containsKey("ASYNC/" + hosts + "/" + latency)) {
                largest = hosts;
            }
        }
        if (largest == 0 || calibration == null) {
            throw new IllegalArgumentException("the results need PLATFORM, VIRTUAL and ASYNC runs with the mina driver "
                    + "at one host count, and the crypto calibration (run: fanout bench --preset ci)");
        }
        Map<?, ?> platform = byKey.get("PLATFORM/" + largest + "/" + latency);
        Map<?, ?> virtual = byKey.get("VIRTUAL/" + largest + "/" + latency);
        Map<?, ?> async = byKey.get("ASYNC/" + largest + "/" + latency);
        Map<String, Double> ratios = new LinkedHashMap<>();
        ratios.put(VIRTUAL_OVER_PLATFORM, score(virtual.get("primaryMetric")) / score(platform.get("primaryMetric")));
        ratios.put(ASYNC_OVER_VIRTUAL, score(async.get("primaryMetric")) / score(virtual.get("primaryMetric")));
        double cpuPerHost = score(((Map<?, ?>) virtual.get("secondaryMetrics")).get("client.cpu.ms.per.host"));
        ratios.put(CPU_OVER_CALIBRATION, cpuPerHost / calibration);
        return ratios;
    }

    private static double score(Object metric) {
        return ((Number) ((Map<?, ?>) metric).get("score")).doubleValue();
    }
}
