package dev.fanout.cli;

import dev.fanout.Secret;
import java.io.Console;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the password of the command line comes from, if anywhere: an environment variable, a file only the user can
 * read ({@link PasswordFile}) or a prompt on the terminal. Never a flag's value, which other users could see.
 */
final class PasswordOptions {

    @Option(names = "--password-env", paramLabel = "VAR", description = "Read the password from this variable.")
    private String passwordEnv;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from this file's first line (refused unless a regular file of "
                    + "yours, not a link, that group and others may not use: chmod 600).")
    private Path passwordFile;

    @Option(names = "--ask-pass", description = "Ask for the password, without echo.")
    private boolean askPass;

    /**
     * The password from the one source given; empty when none is.
     *
     * @throws IllegalArgumentException for more than one source, an unset variable, a file that is not private or
     *     cannot be read, {@code --ask-pass} without a terminal, or an empty answer to the prompt
     */
    Optional<Secret> password() {
        int sources = (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0) + (askPass ? 1 : 0);
        if (sources > 1) {
            throw new IllegalArgumentException("give only one of --password-env, --password-file, --ask-pass");
        }
        if (passwordEnv != null) {
            return Optional.of(Secret.fromEnv(passwordEnv));
        }
        if (passwordFile != null) {
            return Optional.of(PasswordFile.read(passwordFile));
        }
        return askPass ? Optional.of(ask()) : Optional.empty();
    }

    private static Secret ask() {
        Console console = Terminal.console().orElseThrow(() -> new IllegalArgumentException(
                "--ask-pass needs a terminal; use --password-env or --password-file"));
        char[] typed = console.readPassword("Password: ");
        if (typed == null || typed.length == 0) {
            throw new IllegalArgumentException("no password given");
        }
        return Secret.of(typed);
    }
}
