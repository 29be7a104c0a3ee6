package dev.fanout.cli;

import dev.fanout.Command;
import dev.fanout.Stdin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The command options of {@code run}: sudo, a pty, stdin from a file and environment variables, applied to every
 * command of the run.
 */
final class CommandOptions {

    @Option(names = "--sudo", description = "Run each command as root (or --sudo-user) through sudo, on a pty unless "
            + "--stdin; sudo's prompt is answered with the host's login password, never shown.")
    private boolean sudo;

    @Option(names = "--sudo-user", paramLabel = "USER", description = "The user --sudo runs commands as (default "
            + "root); implies --sudo.")
    private String sudoUser;

    @Option(names = "--pty", description = "Run each command on a pseudo-terminal (80x24): stderr merged into stdout, "
            + "no end of input.")
    private boolean pty;

    @Option(names = "--stdin", paramLabel = "FILE", description = "Stream FILE to each command's standard input.")
    private Path stdin;

    @Option(names = "--env", paramLabel = "NAME[=VALUE]", description = "An environment variable for each command, "
            + "exported before it; NAME alone takes the value NAME has in fanout's own environment (for secrets). "
            + "Repeatable.")
    private List<String> environment = new ArrayList<>();

    @Option(names = "--env-requests", description = "Send the --env variables as SSH env requests instead (never on "
            + "a command line; the server must accept their names: sshd's AcceptEnv).")
    private boolean envRequests;

    /**
     * Applies the options to a command.
     *
     * @param processEnvironment fanout's own environment, for {@code --env NAME}
     * @throws IllegalArgumentException naming a bad option: an unreadable stdin file, a variable not set, a bad name,
     *     a pty with stdin, env requests with sudo
     */
    Command apply(Command command, Function<String, String> processEnvironment) {
        Command result = command;
        for (Map.Entry<String, String> variable : variables(processEnvironment).entrySet()) {
            result = result.withEnv(variable.getKey(), variable.getValue());
        }
        if (envRequests) {
            result = result.withEnvRequests();
        }
        if (pty) {
            result = result.withPty();
        }
        if (stdin != null) {
            result = result.withStdin(Stdin.file(stdin));
        }
        if (sudo || sudoUser != null) {
            result = result.withSudo(sudoUser == null ? "root" : sudoUser);
        }
        return result;
    }

    private Map<String, String> variables(Function<String, String> processEnvironment) {
        Map<String, String> variables = new java.util.LinkedHashMap<>();
        for (String entry : environment) {
            int equals = entry.indexOf('=');
            String name = equals < 0 ? entry : entry.substring(0, equals);
            String value = equals < 0 ? processEnvironment.apply(name) : entry.substring(equals + 1);
            if (value == null) {
                throw new IllegalArgumentException("--env " + name + ": no variable " + name + " in fanout's "
                        + "environment (give NAME=VALUE, or export " + name + ")");
            }
            variables.put(name, value);
        }
        return variables;
    }
}
