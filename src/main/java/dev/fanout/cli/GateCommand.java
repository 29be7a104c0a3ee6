package dev.fanout.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fanout gate}: the performance gate for CI. Reads the JMH results of {@code fanout bench} and compares ratios
 * measured in the same run, which hold across machines where seconds do not, with a committed baseline:
 * VIRTUAL over PLATFORM and ASYNC over VIRTUAL wall time (mina, at the largest host count measured in all three),
 * and VIRTUAL's client CPU per host over the in-run crypto calibration. Fails when a ratio exceeds its baseline by
 * more than the tolerance.
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

    @Spec
    private CommandSpec spec;

    @Option(names = "--baseline", required = true, paramLabel = "FILE",
            description = "Baseline ratios and tolerance (e.g. config/bench-baseline.json).")
    private Path baseline;

    @Option(names = "--results", required = true, paramLabel = "FILE", description = "results.json of fanout bench.")
    private Path results;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        Map<?, ?> base;
        Map<String, Double> measured;
        try {
            base = (Map<?, ?>) read(baseline);
            measured = ratios((List<?>) read(results));
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            spec.commandLine().getErr().println("fanout gate: " + e.getMessage());
            return FanoutCommand.USAGE_ERROR;
        }
        double tolerance = ((Number) base.get("tolerance")).doubleValue();
        Map<?, ?> expected = (Map<?, ?>) base.get("ratios");
        boolean pass = true;
        out.printf("%-32s %9s %9s %9s  %s%n", "ratio (lower is better)", "baseline", "limit", "measured", "verdict");
        for (Map.Entry<String, Double> ratio : measured.entrySet()) {
            double reference = ((Number) expected.get(ratio.getKey())).doubleValue();
            double limit = reference * (1 + tolerance);
            boolean ok = ratio.getValue() <= limit;
            pass &= ok;
            out.printf(Locale.ROOT, "%-32s %9.3f %9.3f %9.3f  %s%n", ratio.getKey(), reference, limit, ratio.getValue(),
                    ok ? "ok" : "REGRESSION");
        }
        out.println(pass ? "fanout gate: pass" : "fanout gate: FAIL (tolerance " + tolerance + ")");
        return pass ? 0 : 1;
    }

    private static Object read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new Load(LoadSettings.builder().build()).loadFromString(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The gate's ratios from a results array. */
    static Map<String, Double> ratios(List<?> runs) {
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
