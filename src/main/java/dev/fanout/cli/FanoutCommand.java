package dev.fanout.cli;

import dev.fanout.spi.SshDrivers;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code fanout} command line. Exit codes: 0 success; 1 a host failed; 2 usage or configuration error;
 * 130 interrupted.
 */
@Command(name = "fanout", mixinStandardHelpOptions = true, versionProvider = FanoutCommand.Version.class,
        description = "Runs commands on 1 to 5,000+ Linux hosts over SSH, one virtual thread per host.")
public final class FanoutCommand implements Callable<Integer> {

    /** Exit code for usage and configuration errors. */
    static final int USAGE_ERROR = 2;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /** Runs the command line and exits with its code. */
    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine line = new CommandLine(new FanoutCommand());
        line.setParameterExceptionHandler((error, args) -> {
            error.getCommandLine().getErr().println("fanout: " + error.getMessage());
            error.getCommandLine().getErr().println("Try 'fanout --help' for usage.");
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
