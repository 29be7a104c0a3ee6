package dev.fanout.schedule;

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
 * ({@code client.peak.heap.mb}). It runs inside the benchmark's forked JVM, which holds the client only.
 */
public class ClientResourcesProfiler implements InternalProfiler {

    private long cpuBefore;

    @Override
    public String getDescription() {
        return "client CPU per host, peak threads and peak heap of each run";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        ManagementFactory.getThreadMXBean().resetPeakThreadCount();
        heapPools().forEach(MemoryPoolMXBean::resetPeakUsage);
        cpuBefore = processCpuNanos();
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
            IterationParams iterationParams, IterationResult result) {
        long cpu = processCpuNanos() - cpuBefore;
        int hosts = Integer.parseInt(benchmarkParams.getParam("hosts"));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long peakHeap = heapPools().stream().mapToLong(pool -> pool.getPeakUsage().getUsed()).sum();
        return List.of(
                new ScalarResult("client.cpu.ms.per.host", cpu / 1e6 / hosts, "ms", AggregationPolicy.AVG),
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
