package dev.fanout.internal.schedule;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.StdStream;
import dev.fanout.Step;
import dev.fanout.Timeouts;
import dev.fanout.fleet.ExternalFleet;
import dev.fanout.fleet.ReferenceWorkload;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The reference benchmark as JMH measures it: the wall time of one whole run of its three commands
 * ({@code uname -sr}; a file write + chmod; a {@code nohup} job) on {@code hosts} simulated hosts, in a mode, with a
 * driver, each phase (banner, auth, each command) delayed by {@code latency}. The fleet runs in its own process,
 * started by the trial set-up and ready before timing starts, so the benchmark JVM holds only the client;
 * {@link ClientResourcesProfiler} adds its CPU per host, peak threads and peak heap. A run with a failed host fails
 * the benchmark. SERIAL is meant for at most 50 hosts, ASYNC for the mina driver only ({@code fanout bench} picks
 * valid combinations).
 *
 * <p>Run it with {@code ./fanout bench} (presets ci, quick, full), or JMH's own runner on the test class path.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@Warmup(iterations = 1)
@Measurement(iterations = 3)
public class RunBenchmark {

    private static final Duration HANG_GUARD = Duration.ofMinutes(2);

    @Param({"100"})
    public int hosts;

    @Param({"VIRTUAL"})
    public RunMode mode;

    @Param({"mina"})
    public String driver;

    @Param({"100ms"})
    public String latency;

    /** Connections set up at once: fanout's default unless a run asks for more ({@code -p maxHandshakes=1024}). */
    @Param({"" + RunOptions.DEFAULT_MAX_HANDSHAKES})
    public int maxHandshakes;

    /**
     * The run's listener: {@code none}, or {@code counting}, which hears every call and counts the output's bytes
     * (so output is streamed to it), to measure what listener events cost ({@code -p listener=none,counting}).
     */
    @Param({"none"})
    public String listener;

    /** The bytes the counting listener heard in the last run. */
    private final LongAdder outputBytes = new LongAdder();

    /**
     * The fleet's CPU time in the last measured or warm-up run, for {@link ClientResourcesProfiler}: read here,
     * at the end of each iteration, since JMH stops the trial (and the fleet) before the profiler's last reading.
     */
    static volatile Duration lastRunFleetCpu = Duration.ZERO;

    private ExternalFleet fleet;
    private Fanout fanout;
    private RunOptions options;
    private Duration fleetCpuAtStart;

    /** Starts the fleet process and the client. */
    @Setup(Level.Trial)
    public void start() throws IOException {
        if (mode == RunMode.ASYNC && !driver.equals("mina")) {
            throw new IllegalArgumentException("ASYNC mode needs the mina driver");
        }
        String password = "bench-" + System.nanoTime();
        fleet = ExternalFleet.start(hosts, latency, password);
        // Connect and auth limits only guard against a hang: on a loaded machine (a CI runner shared with other
        // jobs) 200 handshakes at once passed the default 10 s, and a run with a failed host measures nothing.
        fanout = Fanout.builder().driver(driver).credentials(Credentials.password(Secret.of(password)))
                .hostKeyPolicy(HostKeyPolicy.strict(fleet.knownHosts()))
                .timeouts(Timeouts.DEFAULTS.withConnect(HANG_GUARD).withAuth(HANG_GUARD)).build();
        options = RunOptions.builder().mode(mode).threads(50).maxHandshakes(maxHandshakes).build();
    }

    /** Notes the fleet's CPU time before a run. */
    @Setup(Level.Iteration)
    public void noteFleetCpu() {
        fleetCpuAtStart = fleet.cpuTime();
    }

    /** Publishes the fleet's CPU time of the run. */
    @TearDown(Level.Iteration)
    public void publishFleetCpu() {
        lastRunFleetCpu = fleet.cpuTime().minus(fleetCpuAtStart);
    }

    /** One whole run over every host. */
    @Benchmark
    public RunReport run() {
        outputBytes.reset();
        RunReport report = fanout.run(fleet.hosts(), ReferenceWorkload.TASK, options, runListener());
        if (!report.allOk()) {
            throw new IllegalStateException(report.failed().size() + " hosts failed, first: "
                    + report.failed().get(0).detail());
        }
        if (listener.equals("counting") && outputBytes.sum() == 0) {
            throw new IllegalStateException("the counting listener heard no output");
        }
        return report;
    }

    private RunListener runListener() {
        return switch (listener) {
            case "none" -> new RunListener() {
            };
            case "counting" -> new RunListener() {
                @Override
                public void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
                    outputBytes.add(bytes.length);
                }
            };
            default -> throw new IllegalArgumentException("listener is none or counting: " + listener);
        };
    }

    /** Stops the client and the fleet. */
    @TearDown(Level.Trial)
    public void stop() {
        fanout.close();
        fleet.close();
    }
}
