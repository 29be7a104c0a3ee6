package dev.fanout.cli;

import dev.fanout.Fanout;
import dev.fanout.HostResult;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.SshConfig;
import dev.fanout.Target;
import dev.fanout.Task;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What {@code fanout run}, {@code copy} and {@code fetch} share: the options of {@link HostOptions},
 * {@link CredentialOptions}, {@link HostKeyOptions}, {@link SshConfigOptions}, {@link BastionOptions},
 * {@link LimitOptions} and {@link OutputOptions}, checked and
 * built before any host is contacted, then the run itself, with Ctrl-C handling ({@link CancelOnSignal}) and exit
 * codes. A subclass says what task every host runs.
 */
abstract class HostJobCommand implements Callable<Integer> {

    static final int SOME_HOSTS_FAILED = 1;
    static final int INTERRUPTED = 130;

    @Spec
    private CommandSpec spec;

    @Mixin
    private HostOptions hosts;

    @Mixin
    private CredentialOptions credentials;

    @Mixin
    private HostKeyOptions hostKeys;

    @Mixin
    private SshConfigOptions sshConfig;

    @Mixin
    private BastionOptions bastions;

    @Mixin
    LimitOptions limits;

    @Mixin
    private OutputOptions output;

    /** What every host runs; throws {@link IllegalArgumentException} for bad arguments. */
    abstract Task task();

    @Override
    public Integer call() {
        Setup setup;
        try {
            setup = prepare();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return usageError(e.getMessage());
        }
        ResultsFile results;
        try {
            results = output.openResults(Thread.currentThread());
        } catch (IllegalArgumentException e) {
            setup.fanout().close();
            return usageError(e.getMessage());
        }
        try (Fanout fanout = setup.fanout();
                results;
                ResultPrinter printer = output.printer(spec.commandLine().getOut(), err(), results, spec.name())) {
            return run(fanout, setup, results, printer);
        }
    }

    /**
     * Everything checked and built before any host is contacted.
     *
     * @param targets the hosts to run, each with its variables
     * @param skippedByResume the hosts left out by {@code --resume}
     */
    private record Setup(Fanout fanout, List<Target> targets, Task task, RunOptions options, int skippedByResume,
            Optional<FailedHostsFile> failedHosts, Optional<Path> junitFile) {
    }

    /** Checks every option and builds the run; the password prompt, if any, comes last. */
    private Setup prepare() {
        Consumer<String> warnings = warning -> err().println(prefix() + "warning: " + TerminalText.line(warning));
        Optional<SshConfig> config = sshConfig.config();
        config.ifPresent(found -> found.warnings().forEach(warning -> warnings.accept("ssh config: " + warning)));
        HostSelection selection = hosts.select(config, warnings);
        Optional<FailedHostsFile> failedHosts = output.failedHostsFile(selection.credentialSources(),
                selection.vars());
        Optional<Path> junitFile = output.junitFile();
        Task task = task();
        task.requireDistinctDownloads(selection.all());
        List<Target> targets = selection.targets();
        task.requireVariables(targets);
        RunOptions options = limits.runOptions(targets.size(), warnings);
        CredentialOptions.HostCredentials hostCredentials = credentials.forHosts(selection,
                config.filter(found -> !found.isEmpty()).isPresent(), warnings);
        Fanout.Builder builder = Fanout.builder().driver(limits.driver()).hostCredentials(hostCredentials.perHost())
                .hostKeyPolicy(hostKeys.policy()).timeouts(limits.timeouts());
        hostCredentials.defaults().ifPresent(builder::credentials);
        config.ifPresent(builder::sshConfig);
        bastions.configure(builder, selection.via(), config);
        Fanout fanout = builder.build();
        return new Setup(fanout, targets, task, options, selection.skippedByResume(), failedHosts, junitFile);
    }

    /** Runs the hosts; on Ctrl-C the run is cancelled and what it has is printed and written all the same. */
    private int run(Fanout fanout, Setup setup, ResultsFile results, ResultPrinter printer) {
        CancelOnSignal cancel = CancelOnSignal.install(Thread.currentThread());
        RunReport report;
        boolean interrupted;
        Optional<String> resultsFailure = Optional.empty();
        boolean junitWritten = true;
        try {
            try {
                report = fanout.runTargets(setup.targets(), setup.task(), setup.options(), printer.listener());
            } catch (IllegalArgumentException e) {
                // A host the ssh config cannot serve (a bad HostName, an agent socket without an agent): found
                // before any host is contacted, so nothing ran.
                return cancel.remove() ? usageError(e.getMessage()) : INTERRUPTED;
            }
            if (results != null) {
                results.runEnded(); // no interrupt from a failed write after this
            }
            interrupted = Thread.interrupted(); // cleared, so that the files below can be written
            printer.finish(report, setup.skippedByResume());
            setup.failedHosts().ifPresent(file -> writeFailedHosts(file, report));
            if (setup.junitFile().isPresent()) {
                junitWritten = writeJUnit(setup.junitFile().get(), report, printer);
            }
            printer.close(); // flushed before the hook may halt the JVM
            if (results != null) {
                results.close();
                resultsFailure = results.failure();
                resultsFailure.ifPresent(message -> err().println(prefix() + message));
            }
        } finally {
            cancel.resultsKept();
        }
        if (!cancel.remove()) {
            return INTERRUPTED; // a signal came: the hook halts the JVM with this code
        }
        if (resultsFailure.isPresent() || !junitWritten) {
            return FanoutCommand.USAGE_ERROR;
        }
        if (interrupted) {
            return INTERRUPTED;
        }
        return report.allOk() ? 0 : SOME_HOSTS_FAILED;
    }

    private void writeFailedHosts(FailedHostsFile file, RunReport report) {
        try {
            file.write(report.failed().stream().map(HostResult::host).toList());
        } catch (IOException e) {
            err().println(prefix() + "cannot write " + file.path() + ": " + e.getMessage());
        }
    }

    /** Writes the {@code --junit-out} file; false, with an error line, if it could not be written. */
    private boolean writeJUnit(Path file, RunReport report, ResultPrinter printer) {
        try {
            JUnitReport.write(file, spec.name(), report, printer.started());
            return true;
        } catch (IOException e) {
            err().println(prefix() + "cannot write " + file + ": " + e.getMessage());
            return false;
        }
    }

    private int usageError(String message) {
        err().println(prefix() + TerminalText.line(message));
        return FanoutCommand.USAGE_ERROR;
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** {@code fanout run: }, with the sub-command's name. */
    private String prefix() {
        return "fanout " + spec.name() + ": ";
    }
}
