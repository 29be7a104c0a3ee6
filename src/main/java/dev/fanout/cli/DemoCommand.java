package dev.fanout.cli;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostStatus;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.ReferenceWorkload;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fanout demo}: the reference benchmark on an embedded simulated fleet. Starts the fleet in this process, runs
 * the reference workload's three commands on every host in each mode (serial on a few hosts only) after an unmeasured
 * warm-up round per driver, once per host count asked for, and prints a table of wall time, hosts per second, CPU per
 * host and peak platform threads; with {@code --chart}, also draws it ({@link ScalingChart}).
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the reference benchmark (uname -sr; a file write + chmod; a nohup job) on an embedded "
                + "simulated fleet in each run mode, and prints the comparison.",
                "CPU per host counts this whole process: the fleet's share included."})
final class DemoCommand implements Callable<Integer> {

    /** The chart's CPU axis: the demo measures its whole process, the fleet's share included. */
    static final String CHART_CPU_LABEL = "CPU ms per host, fleet included (log scale)";

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "N[,N...]", split = ",", defaultValue = "500",
            description = "Simulated hosts (default 500); several counts, e.g. 10,100,1000, run each in turn.")
    private List<Integer> hostCounts;

    @Option(names = "--latency", paramLabel = "DUR|MIN..MAX", defaultValue = "100ms",
            description = "Delay of each phase: banner, auth, each command (default 100ms).")
    private String latency;

    @Option(names = "--serial-hosts", paramLabel = "N", defaultValue = "10",
            description = "Hosts for the serial run, which takes about 5 latencies per host (default 10).")
    private int serialHosts;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "50",
            description = "Threads of the PLATFORM run (default 50, as the reference benchmark's thread pool).")
    private int threads;

    @Option(names = "--chart", paramLabel = "FILE",
            description = "Also write the table as an SVG chart: seconds and CPU per host against hosts, log axes, "
                    + "a line per mode and driver.")
    private Path chart;

    /** One line of the table. */
    private record Row(String mode, String driver, int hosts, double seconds, double cpuMillisPerHost,
            int peakThreads, String outcome) {
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        if (hostCounts.stream().anyMatch(count -> count < 1) || serialHosts < 0 || threads < 1) {
            spec.commandLine().getErr().println("fanout demo: --hosts and --threads must be at least 1, "
                    + "--serial-hosts at least 0");
            return FanoutCommand.USAGE_ERROR;
        }
        Latency phaseLatency;
        try {
            phaseLatency = Latency.parse(latency);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("fanout demo: " + e.getMessage());
            return FanoutCommand.USAGE_ERROR;
        }
        List<Integer> counts = hostCounts.stream().distinct().sorted().toList();
        int hosts = counts.getLast();
        // SERIAL takes about 5 latencies per host: it runs on each count capped at --serial-hosts.
        List<Integer> serialCounts = counts.stream().map(count -> Math.min(count, serialHosts))
                .filter(count -> count > 0).distinct().toList();
        Secret password = Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
        FleetConfig config = FleetConfig.of(hosts, "root", password).withLatency(phaseLatency)
                .withKeyboardInteractiveFraction(0.2);
        Path knownHosts = Files.createTempFile("fanout-demo", "known_hosts");
        List<Row> rows = new ArrayList<>();
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            fleet.writeKnownHosts(knownHosts);
            out.printf("fanout demo: %d simulated hosts on 127.101.x.y:%d, %s per phase, a fifth keyboard-interactive"
                    + " only; the reference workload's 3 commands per host%n%n", hosts, fleet.port(), phaseLatency);
            out.printf("%-12s %-6s %6s %9s %8s %12s %8s  %s%n", "mode", "driver", "hosts", "seconds", "hosts/s",
                    "CPU ms/host", "threads", "outcome");
            out.flush();
            List<Host> all = fleet.hosts();
            for (String driver : List.of("mina", "jsch")) {
                try (Fanout fanout = Fanout.builder().driver(driver).credentials(Credentials.password(password))
                        .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build()) {
                    // Warm-up, not measured: the JIT compiles the hot paths, as in a long-lived service.
                    fanout.run(all.subList(0, Math.min(100, all.size())), ReferenceWorkload.TASK);
                    for (int count : serialCounts) {
                        rows.add(measure(out, fanout, RunMode.SERIAL, all.subList(0, count)));
                    }
                    for (int count : counts) {
                        rows.add(measure(out, fanout, RunMode.PLATFORM, all.subList(0, count)));
                        rows.add(measure(out, fanout, RunMode.VIRTUAL, all.subList(0, count)));
                        if (driver.equals("mina")) {
                            rows.add(measure(out, fanout, RunMode.ASYNC, all.subList(0, count)));
                        }
                    }
                }
            }
        } finally {
            Files.deleteIfExists(knownHosts);
        }
        out.println();
        out.println(summary(rows));
        if (chart != null) {
            writeChart(rows, phaseLatency);
            out.println("fanout demo: wrote " + chart);
        }
        return rows.stream().allMatch(row -> row.outcome().equals("all ok")) ? 0 : 1;
    }

    /** The table as a chart ({@link ScalingChart}): JFreeChart is loaded only here. */
    private void writeChart(List<Row> rows, Latency phaseLatency) throws IOException {
        ScalingChart.write(String.format(Locale.ROOT, "fanout demo: %s per phase, simulated fleet in this process",
                phaseLatency), CHART_CPU_LABEL,
                rows.stream().map(row -> new ScalingChart.Point(row.mode(),
                        row.driver(), row.hosts(), row.seconds(), row.cpuMillisPerHost())).toList(),
                chart);
    }

    private Row measure(PrintWriter out, Fanout fanout, RunMode mode, List<Host> targets) {
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        threadBean.resetPeakThreadCount();
        long cpuBefore = processCpuNanos();
        RunReport report = fanout.run(targets, ReferenceWorkload.TASK,
                RunOptions.builder().mode(mode).threads(threads).build());
        long cpu = processCpuNanos() - cpuBefore;
        int ok = report.summary().get(HostStatus.OK);
        Row row = new Row(mode == RunMode.PLATFORM ? "PLATFORM(" + threads + ")" : mode.name(), fanout.driverName(),
                targets.size(), report.duration().toNanos() / 1e9, cpu / 1e6 / targets.size(),
                threadBean.getPeakThreadCount(), ok == targets.size() ? "all ok" : ok + " ok, " + report.summary());
        out.printf("%-12s %-6s %6d %9.2f %8.0f %12.2f %8d  %s%n", row.mode(), row.driver(), row.hosts(), row.seconds(),
                row.hosts() / row.seconds(), row.cpuMillisPerHost(), row.peakThreads(), row.outcome());
        out.flush();
        return row;
    }

    private static String summary(List<Row> rows) {
        Row platform = find(rows, "PLATFORM", "mina");
        Row virtual = find(rows, "VIRTUAL", "mina");
        Row async = find(rows, "ASYNC", "mina");
        if (platform == null || virtual == null || async == null) {
            return "";
        }
        return String.format("VIRTUAL is %.1fx faster than PLATFORM(%s); ASYNC takes %.2fx the time of VIRTUAL "
                + "(mina driver, %d hosts).", platform.seconds() / virtual.seconds(),
                platform.mode().replaceAll("\\D", ""), async.seconds() / virtual.seconds(), virtual.hosts());
    }

    private static Row find(List<Row> rows, String mode, String driver) {
        // The last such row: the largest host count.
        return rows.stream().filter(row -> row.mode().startsWith(mode) && row.driver().equals(driver))
                .reduce((first, second) -> second).orElse(null);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
