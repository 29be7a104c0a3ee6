package dev.fanout.internal.schedule;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.ThreadMXBean;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Adds what a run cost the client to each iteration of {@link RunBenchmark}, as JMH secondary results: process CPU
 * time per host ({@code client.cpu.ms.per.host}), peak live threads ({@code client.peak.threads}) and peak heap use
 * ({@code client.peak.heap.mb}). It runs inside the benchmark's forked JVM, which holds the client only. It also
 * reports the CPU time of the fleet process in the same run ({@code fleet.cpu.ms.per.host}, read by
 * {@link RunBenchmark}), and relates the run's wall time to the time its CPU work alone needs on this machine's cores
 * ({@code wall.over.cpu.bound}: 1.0 when waiting cost nothing, higher when the run waited on latency).
 */
public class ClientResourcesProfiler implements InternalProfiler {

    private long cpuBefore;

    @Override
    public String getDescription() {
        return "client and fleet CPU per host, wall over CPU-bound time, peak threads and peak heap of each run";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        cpuBefore = processCpuNanos();
    }

    @Override
    public Collection<? extends Result<?>> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        if (result.getRawPrimaryResults().isEmpty()) {
            return List.of(); // the benchmark threw: JMH reports its exception, which a failure here would hide
        }
        double wall = result.getPrimaryResult().getScore() * benchmarkParams.getTimeUnit().toNanos(1);
        long cpu = processCpuNanos() - cpuBefore;
        long fleetCpu = RunBenchmark.lastRunFleetCpu.toNanos();
        double cpuBound = (double) (cpu + fleetCpu) / Runtime.getRuntime().availableProcessors();
        int hosts = Integer.parseInt(benchmarkParams.getParam("hosts"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long peakHeap = heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return List.of(
                new ScalarResult("client.cpu.ms.per.host", cpu / 1e6 / hosts, "ms", AggregationPolicy.AVG),
                new ScalarResult("fleet.cpu.ms.per.host", fleetCpu / 1e6 / hosts, "ms", AggregationPolicy.AVG),
                new ScalarResult("wall.over.cpu.bound", wall / cpuBound, "ratio", AggregationPolicy.AVG),
                new ScalarResult("client.peak.threads", threads.getPeakThreadCount(), "threads", AggregationPolicy.MAX),
                new ScalarResult("client.peak.heap.mb", peakHeap / 1048576.0, "MB", AggregationPolicy.MAX));
    }

    private static List<MemoryPoolMXBean> heapPools() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(pool -> pool.getType() == MemoryType.HEAP)
                .toList();
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
