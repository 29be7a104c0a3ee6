package dev.fanout.cli;

import dev.fanout.Host;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The output options of {@code run}, {@code copy} and {@code fetch}: what stdout shows ({@code --format},
 * {@code --group}), the files written ({@code --out}, {@code --junit-out}, {@code --failed-hosts}), the progress
 * line and the log.
 */
final class OutputOptions {

    /** Reads {@code --format}: {@code text}, {@code json} or {@code junit}. */
    static final class FormatConverter extends ChoiceConverter<OutputFormat> {
        FormatConverter() {
            super(OutputFormat.class);
        }
    }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = FormatConverter.class,
            description = "text (default), json, or junit (JUnit XML, a testcase per host).")
    private OutputFormat format;

    @Option(names = "--group", description = "Print each distinct output once, with its hosts folded: web[01-07,09].")
    private boolean group;

    @Option(names = "--out", paramLabel = "FILE", description = "Append one JSON line per host as it completes.")
    private Path outFile;

    @Option(names = "--junit-out", paramLabel = "FILE", description = "Write the results as JUnit XML to FILE at the "
            + "end (a testcase per host, for CI), beside any --format.")
    private Path junitFile;

    @Option(names = "--failed-hosts", paramLabel = "FILE", description = "Write the hosts that did not end ok, as an "
            + "inventory for a rerun: YAML, with their inventory credentials, if FILE ends in .yaml/.yml.")
    private Path failedHostsFile;

    @Option(names = "--no-progress", description = "No live progress line.")
    private boolean noProgress;

    /** Read by {@link FanoutCommand#main} from the arguments themselves, before any logger exists. */
    @SuppressWarnings("UnusedVariable")
    @Option(names = {"-v", "--verbose"}, description = "Log per-host detail (connects, retries) on stderr.")
    private boolean verbose;

    /**
     * The {@code --failed-hosts} file, if asked for.
     *
     * @param sources where the hosts with their own credentials got them
     * @param vars the variables of the hosts that have some
     * @throws IllegalArgumentException when a plain list could not keep those credentials or variables
     */
    Optional<FailedHostsFile> failedHostsFile(Map<Host, FailedHostsFile.Source> sources,
            Map<Host, Map<String, String>> vars) {
        return failedHostsFile == null ? Optional.empty()
                : Optional.of(new FailedHostsFile(failedHostsFile, sources, vars));
    }

    /**
     * The {@code --junit-out} file, if asked for.
     *
     * @throws IllegalArgumentException naming the file when its directory does not exist
     */
    Optional<Path> junitFile() {
        if (junitFile == null) {
            return Optional.empty();
        }
        Path directory = junitFile.toAbsolutePath().getParent();
        if (directory != null && !Files.isDirectory(directory)) {
            throw new IllegalArgumentException("cannot write " + junitFile + ": no directory " + directory);
        }
        return Optional.of(junitFile);
    }

    /**
     * Opens the {@code --out} file, if asked for; null if not.
     *
     * @param runner the thread running the hosts, interrupted when a write fails
     * @throws IllegalArgumentException naming the file when it cannot be opened
     */
    ResultsFile openResults(Thread runner) {
        return outFile == null ? null : ResultsFile.open(outFile, runner);
    }

    /**
     * The printer of the run's results, with a progress line on a terminal unless {@code --no-progress}.
     *
     * @param command the command's name, {@code run}, {@code copy} or {@code fetch}, for the JUnit XML
     */
    ResultPrinter printer(PrintWriter out, PrintWriter err, ResultsFile results, String command) {
        return new ResultPrinter(out, err, format, group, !noProgress && Terminal.console().isPresent(), results,
                command);
    }
}
