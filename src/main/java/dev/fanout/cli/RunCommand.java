package dev.fanout.cli;

import dev.fanout.Command;
import dev.fanout.RunMode;
import dev.fanout.Step;
import dev.fanout.Task;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fanout run}: runs commands on every host of the inventories and host lists given. */
@picocli.CommandLine.Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs commands, in order, on every host; a host stops at its first failing command unless "
                + "--keep-going. Durations are written like 500ms, 10s, 2m.",
                "Secrets come from an environment variable, a private file or a prompt, never from a flag value."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host ok", "1:at least one host failed, timed out or exited non-zero",
                "2:usage, inventory or configuration error (no host contacted)",
                "130:interrupted (the results so far are kept)"})
final class RunCommand extends HostJobCommand {

    @Option(names = {"-c", "--command"}, paramLabel = "CMD", required = true,
            description = "A command to run; repeat for several, run in order.")
    private List<String> commands = new ArrayList<>();

    @Option(names = "--keep-going", description = "Run the remaining commands after one exits non-zero.")
    private boolean keepGoing;

    @Mixin
    private CommandOptions options;

    /** {@code run} also takes the run mode as {@code --mode} (copy's {@code --mode} is the file mode). */
    @Option(names = "--mode", paramLabel = "MODE", converter = LimitOptions.RunModeConverter.class,
            description = "The same as --run-mode.")
    void runModeAlias(RunMode value) {
        limits.runMode(value);
    }

    @Override
    Task task() {
        return new Task(commands.stream()
                .map(text -> (Step) new Step.Exec(options.apply(Command.of(text), System::getenv))).toList(),
                keepGoing);
    }
}
