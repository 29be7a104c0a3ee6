package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The root of the command line: it builds only the subcommand the arguments name (picocli reads every annotation of
 * every subcommand it is given, a fifth of a short run's start-up), and all of them where the help or an error
 * needs them.
 */
class FanoutCommandTest {

    private static final List<String> SUBCOMMANDS = List.of("run", "copy", "fetch", "hosts", "fleet", "demo", "gate",
            "merge");

    @Test
    void argumentsThatNameASubcommandBuildThatOneOnly() {
        for (String name : SUBCOMMANDS) {
            var line = FanoutCommand.commandLine(new String[] {name, "--help"});
            assertEquals(Set.of(name), line.getSubcommands().keySet());
        }
    }

    @Test
    void theHelpAndArgumentsThatNameNoSubcommandHaveThemAll() {
        for (String[] args : List.of(new String[0], new String[] {"--help"}, new String[] {"-H", "run"},
                new String[] {"runs"})) {
            var line = FanoutCommand.commandLine(args);
            assertEquals(SUBCOMMANDS, List.copyOf(line.getSubcommands().keySet()), String.join(" ", args));
        }
        CliRun help = CliRun.of("--help");
        assertEquals(0, help.exitCode(), help.err());
        for (String name : SUBCOMMANDS) {
            assertTrue(help.out().contains("\n  " + name + " "), name + " missing from: " + help.out());
        }
    }

    @Test
    void anUnknownSubcommandIsRefusedWithExitTwoAndAPointerToTheHelp() {
        CliRun refused = CliRun.of("runs", "-c", "true");
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("""
                fanout: Unmatched arguments from index 0: 'runs', '-c', 'true'
                Try 'fanout --help' for usage.
                """, refused.err());
    }
}
