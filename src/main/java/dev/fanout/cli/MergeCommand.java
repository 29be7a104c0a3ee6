package dev.fanout.cli;

import dev.fanout.SshConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code fanout merge}: joins the results files of the shares of one run ({@link MergedResults}) and prints them as
 * {@code fanout run} prints a run that has ended, with the exit code of that run. With host options, the hosts they
 * choose are the run's: a host without a record is named and counted as skipped.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Joins the results files of the shares of one run (the --out files or --format json "
                + "documents of run, copy or fetch with --shard K/N) and prints them as one run: text, --group or "
                + "--format json, the summary line, the exit code. Each host must have one record (a later record "
                + "after a failed one in the same file, from --out and --resume on one file, replaces it).",
                "With the run's host options (-i, -H, -u, -p, the filters, --shard), its hosts are the run's: "
                        + "in their order, and each host without a record named and counted as skipped."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host ok", "1:at least one host failed, timed out, was cancelled or skipped, or has "
                + "no record (with host options)",
                "2:usage error; a file that cannot be read, is not whole results or is of a newer schema version; "
                        + "a host with two records; a record of a host the host options do not choose"})
final class MergeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Results files: --out files (JSON lines) or "
            + "--format json documents.")
    private List<Path> files = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            converter = OutputOptions.FormatConverter.class, description = "text (default) or json.")
    private OutputFormat format;

    @Option(names = "--group", description = "Print each distinct output once, with its hosts folded: web[01-07,09].")
    private boolean group;

    @Mixin
    private HostOptions hosts;

    @Mixin
    private SshConfigOptions sshConfig;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        MergedResults merged;
        int skippedByResume = 0;
        try {
            if (format == OutputFormat.JUNIT) {
                throw new IllegalArgumentException("--format junit is not available for merge: text or json");
            }
            merged = MergedResults.read(files);
            if (hostOptionsGiven()) {
                Consumer<String> warnings = warning -> err.println("fanout merge: warning: "
                        + TerminalText.line(warning));
                Optional<SshConfig> config = sshConfig.config();
                config.ifPresent(found -> found.warnings().forEach(warning -> warnings.accept("ssh config: "
                        + warning)));
                HostSelection selection = hosts.select(config, warnings);
                merged = merged.forHosts(selection.toRun());
                skippedByResume = selection.skippedByResume();
            }
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("fanout merge: " + TerminalText.line(e.getMessage()));
            return FanoutCommand.USAGE_ERROR;
        }
        RunSummary summary = merged.summary(skippedByResume);
        try (ResultPrinter printer = new ResultPrinter(spec.commandLine().getOut(), err, format, group, false, null,
                spec.name())) {
            printer.finish(merged.results(), summary);
        }
        if (!merged.missing().isEmpty()) {
            err.println("fanout merge: " + merged.missing().size() + " of the " + merged.results().size()
                    + " hosts have no record in the files (counted as skipped): "
                    + ResultPrinter.foldedNames(merged.missing()));
            err.flush();
        }
        return summary.allOk() ? 0 : HostJobCommand.SOME_HOSTS_FAILED;
    }

    /** Whether any option of {@link HostOptions} is on the command line. */
    private boolean hostOptionsGiven() {
        ParseResult parsed = spec.commandLine().getParseResult();
        return spec.mixins().get("hosts").options().stream().anyMatch(parsed::hasMatchedOption);
    }
}
