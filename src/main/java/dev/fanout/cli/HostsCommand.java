package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.SshConfig;
import dev.fanout.internal.inventory.HostEntries;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code fanout hosts}: prints the hosts that {@code run}, {@code copy} or {@code fetch} with the same host options
 * would contact, in their order, and contacts none; it needs no credentials.
 */
@Command(name = "hosts", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prints the hosts a run with the same host options would contact, one a line in run order "
                + "(after duplicates, --limit, -x, --exclude-file, --shard and --resume), as -H and -i read them back with the "
                + "same -u and -p: the user and port are left out where they are those. Contacts no host and needs "
                + "no credentials.", "With --fold, prints them folded into patterns: web[01-07,09].dc1."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the hosts printed", "2:usage or inventory error, or a limit or exclusion that names no "
                + "host"})
final class HostsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private HostOptions hosts;

    @Mixin
    private SshConfigOptions sshConfig;

    @Option(names = "--fold", description = "Fold the hosts into patterns (web[01-07,09].dc1), one a line: "
            + "ClusterShell's nodeset -f.")
    private boolean fold;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        List<Host> chosen;
        try {
            Consumer<String> warnings = warning -> err.println("fanout hosts: warning: " + TerminalText.line(warning));
            Optional<SshConfig> config = sshConfig.config();
            config.ifPresent(found -> found.warnings().forEach(warning -> warnings.accept("ssh config: " + warning)));
            chosen = hosts.select(config, warnings).toRun();
        } catch (IllegalArgumentException | UncheckedIOException e) {
            err.println("fanout hosts: " + TerminalText.line(e.getMessage()));
            return FanoutCommand.USAGE_ERROR;
        }
        HostEntries entries = hosts.entries();
        PrintWriter out = spec.commandLine().getOut();
        List<String> lines = fold ? entries.folded(chosen) : chosen.stream().map(entries::entry).toList();
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        out.print(text);
        out.flush();
        return 0;
    }
}
