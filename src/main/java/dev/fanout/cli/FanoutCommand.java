package dev.fanout.cli;

import dev.fanout.internal.driver.SshDrivers;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fanout} command line. Exit codes: 0 success; 1 a host failed; 2 usage or configuration error, or
 * {@code --out} could not be written; 130 interrupted.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, versionProvider = FanoutCommand.Version.class,
        description = "Runs commands and copies files on 1 to 5,000+ Linux hosts over SSH, one virtual thread per "
                + "host.")
public final class FanoutCommand implements Callable<Integer> {

    /** Exit code for usage and configuration errors. */
    static final int USAGE_ERROR = 2;

    /** The subcommands, in the order the help lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(RunCommand.class, CopyCommand.class, FetchCommand.class,
            HostsCommand.class, FleetCommand.class, DemoCommand.class, GateCommand.class, MergeCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        if (java.util.Arrays.asList(args).contains("-v") || java.util.Arrays.asList(args).contains("--verbose")) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.fanout", "debug");
        }
        quietLogging();
        DriverPreparation.start(args);
        System.exit(commandLine(args).execute(args));
    }

    /**
     * Warnings and errors only, and nothing from MINA (its failures reach the user as fanout's own messages),
     * unless the user configured slf4j-simple otherwise.
     */
    static void quietLogging() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        // MINA logs through the class of each session, which for the simulated fleet is one of ours. The ssh config's
        // parse warnings are printed by the commands themselves, as warnings of theirs.
        for (String logger : new String[] {"org.apache.sshd", "dev.fanout.fleet.FleetSession",
                "dev.fanout.internal.sshconfig.SshConfigParser"}) {
            if (System.getProperty("org.slf4j.simpleLogger.log." + logger) == null) {
                System.setProperty("org.slf4j.simpleLogger.log." + logger, "off");
            }
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }

    /** The command line with all its subcommands, as the help and an unknown or missing subcommand need it. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments: with only the subcommand they name, when they start with one, as
     * picocli reads the annotations of every subcommand it is given, about a fifth of a short run's start-up
     * (docs/performance.md, "Start-up"); with all of them otherwise.
     */
    static CommandLine commandLine(String[] arguments) {
        CommandLine line = new CommandLine(new FanoutCommand());
        String named = arguments.length == 0 ? "" : arguments[0];
        List<Class<?>> subcommands = SUBCOMMANDS.stream()
                .filter(subcommand -> subcommand.getAnnotation(Command.class).name().equals(named))
                .toList();
        for (Class<?> subcommand : subcommands.isEmpty() ? SUBCOMMANDS : subcommands) {
            line.addSubcommand(subcommand);
        }
        line.setParameterExceptionHandler((error, args) -> {
            String command = error.getCommandLine().getCommandSpec().qualifiedName();
            error.getCommandLine().getErr().println(command + ": " + error.getMessage());
            error.getCommandLine().getErr().println("Try '" + command + " --help' for usage.");
            return USAGE_ERROR;
        });
        return line;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    /** Prints the version from the jar's manifest, the JDK and the drivers available. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = FanoutCommand.class.getPackage().getImplementationVersion();
            return new String[] {
                    "fanout " + (version == null ? "(development build)" : version),
                    "JDK " + Runtime.version() + ", drivers: " + String.join(", ", SshDrivers.names())
            };
        }
    }
}
