package dev.fanout.cli;

import dev.fanout.RetryPolicy;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.Timeouts;
import dev.fanout.internal.OpenFiles;
import dev.fanout.internal.driver.SshDrivers;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The limits options of {@code run}, {@code copy} and {@code fetch}: which driver and run mode, how many hosts and
 * connections at once, batches, timeouts, retries and how much output the run keeps.
 */
final class LimitOptions {

    /** Reads a run mode: {@code serial}, {@code platform}, {@code virtual} or {@code async}. */
    static final class RunModeConverter extends ChoiceConverter<RunMode> {
        RunModeConverter() {
            super(RunMode.class);
        }
    }

    /** Reads {@code --driver}: the name of a driver on the class path ({@code mina}, {@code jsch}), in any case. */
    static final class DriverConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            List<String> names = SshDrivers.names();
            return names.stream().filter(value::equalsIgnoreCase).findFirst()
                    .orElseThrow(() -> ChoiceConverter.refused(names, value));
        }
    }

    /** The driver of a command line that names none. */
    static final String DEFAULT_DRIVER = "mina";

    @Option(names = "--driver", paramLabel = "DRIVER", defaultValue = DEFAULT_DRIVER, converter = DriverConverter.class,
            description = "mina (default) or jsch.")
    private String driver;

    /** No {@code defaultValue}: picocli applies those after parsing, over what {@code run}'s --mode alias set. */
    @Option(names = "--run-mode", paramLabel = "MODE", converter = RunModeConverter.class,
            description = "serial, platform, virtual (default) or async (mina only).")
    private RunMode mode = RunMode.VIRTUAL;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "50", description = "Threads of platform mode.")
    private int threads;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "0", description = "Hosts at once (0: all).")
    private int maxInFlight;

    @Option(names = "--max-handshakes", paramLabel = "N", defaultValue = "256",
            description = "Connections being set up at once (default 256; 0: no limit).")
    private int maxHandshakes;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "0",
            description = "Hosts per batch (0: one batch).")
    private int batchSize;

    @Option(names = "--batch-interval", paramLabel = "DUR", defaultValue = "0ms", converter = DurationConverter.class,
            description = "Wait between batches.")
    private Duration batchInterval;

    @Option(names = "--batches-serial", description = "Start a batch only when the previous one has finished.")
    private boolean batchesSerial;

    @Option(names = "--connect-timeout", paramLabel = "DUR", defaultValue = "10s", converter = DurationConverter.class,
            description = "Connect limit.")
    private Duration connectTimeout;

    @Option(names = "--command-timeout", paramLabel = "DUR", defaultValue = "10m", converter = DurationConverter.class,
            description = "Limit per command.")
    private Duration commandTimeout;

    @Option(names = "--deadline", paramLabel = "DUR", converter = DurationConverter.class,
            description = "Limit for the whole run.")
    private Duration deadline;

    @Option(names = "--output-budget", paramLabel = "SIZE", converter = ByteSizeConverter.class,
            description = "Output the whole run keeps, all hosts together (default a quarter of the heap); past it, "
                    + "output is counted, not kept: 512m, 2g.")
    private Long outputBudget;

    @Option(names = "--retries", paramLabel = "N", defaultValue = "0",
            description = "Retries of transient connect failures (refused, reset, MaxStartups drops).")
    private int retries;

    /** Sets the run mode, for {@code run}'s {@code --mode}, which is {@code --run-mode} under another name. */
    void runMode(RunMode value) {
        mode = value;
    }

    /** The driver's name. */
    String driver() {
        return driver;
    }

    /** The connect and command timeouts. */
    Timeouts timeouts() {
        return Timeouts.DEFAULTS.withConnect(connectTimeout).withCommand(commandTimeout);
    }

    /**
     * The run's options for {@code hosts} hosts; says, as a warning, when the process has not enough open files
     * for the hosts the run would work on at once, one connection each, and the run works on fewer at once.
     *
     * @throws IllegalArgumentException for async mode without the mina driver, or a count out of range
     */
    RunOptions runOptions(int hosts, Consumer<String> warnings) {
        RunOptions options = runOptions();
        int wanted = OpenFiles.wantedAtOnce(options, hosts);
        int atOnce = OpenFiles.hostsAtOnce(wanted);
        if (atOnce < wanted) {
            OpenFiles files = OpenFiles.now().orElseThrow();
            warnings.accept(wanted + " hosts at once need a connection, an open file, each, but the open-file limit is "
                    + files.limit() + " (" + files.open() + " open): running at most " + atOnce
                    + " hosts at once; to run more at once, " + OpenFiles.HOW_TO_RAISE);
        }
        return options;
    }

    /**
     * The run's options as given.
     *
     * @throws IllegalArgumentException for async mode without the mina driver, or a count out of range
     */
    private RunOptions runOptions() {
        if (mode == RunMode.ASYNC && !driver.equals("mina")) {
            throw new IllegalArgumentException("mode async needs --driver mina (driver '" + driver
                    + "' has no asynchronous API)");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries must not be negative: " + retries);
        }
        RunOptions.Builder builder = RunOptions.builder().mode(mode).threads(threads).maxInFlight(maxInFlight)
                .maxHandshakes(maxHandshakes).batchSize(batchSize).batchInterval(batchInterval)
                .batchesConcurrent(!batchesSerial)
                .retry(retries == 0 ? RetryPolicy.none() : RetryPolicy.retries(retries));
        if (deadline != null) {
            builder.runDeadline(deadline);
        }
        if (outputBudget != null) {
            builder.outputBudget(outputBudget);
        }
        return builder.build();
    }
}
