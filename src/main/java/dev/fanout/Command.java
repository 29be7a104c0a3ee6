package dev.fanout;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A shell command to run on a host, with its options: time limit, exit check, environment, pseudo-terminal, standard
 * input and sudo. Immutable: each {@code with...} returns a new command.
 *
 * <pre>{@code
 * Command install = Command.of("/opt/agent/install.sh")
 *         .withEnv("AGENT_TOKEN", token) // exported before the command: export AGENT_TOKEN='...'
 *         .withStdin(Stdin.file(Path.of("agent.conf")))
 *         .withSudo() // as root; sudo's password prompt answered, never shown
 *         .withTimeout(Duration.ofMinutes(5))
 *         .checked();
 * }</pre>
 *
 * <p>{@link #toString()} names the environment variables, never their values.
 *
 * @param text the command line, passed to the login shell as OpenSSH's {@code ssh host 'text'} does
 * @param timeout a limit for this command, overriding {@link Timeouts#command()}
 * @param check when true a non-zero exit becomes {@code CommandFailedException} instead of a result
 * @param environment variables set for the command, by name
 * @param envDelivery how the variables reach the command
 * @param pty a pseudo-terminal to run the command on
 * @param stdin the command's standard input; without one it gets end of input at once
 * @param sudo the user to run the command as through {@code sudo}
 */
public record Command(String text, Optional<Duration> timeout, boolean check, Map<String, String> environment,
        EnvDelivery envDelivery, Optional<Pty> pty, Optional<Stdin> stdin, Optional<String> sudo) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /**
     * How a command's environment variables reach it. SSH has {@code env} requests for this, but a server applies
     * only the names it accepts (OpenSSH: those its {@code AcceptEnv} lists, none by default, {@code LANG LC_*} on
     * Debian) and drops the others silently, and neither SSH library fanout uses lets a client learn which: so the
     * way is chosen explicitly, and the default works on every server.
     */
    public enum EnvDelivery {
        /**
         * The default: the command line starts with {@code export NAME='value';} for each variable (the value
         * shell-quoted), in front of the command, inside sudo's shell with {@link Command#withSudo()}. Works with
         * every server whose login shell is a POSIX shell; the values are on the remote shell's command line,
         * which the host's other users may see while it runs.
         */
        EXPORT,
        /**
         * SSH {@code env} requests: the values are never on a command line, but the server must accept each name
         * (OpenSSH's {@code AcceptEnv}); one it refuses is simply not set. Not with sudo, which clears the
         * environment.
         */
        REQUEST
    }

    /** Validates every component, naming the bad one; copies the environment. */
    public Command {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(envDelivery, "envDelivery");
        Objects.requireNonNull(pty, "pty");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(sudo, "sudo");
        if (text.isBlank()) {
            throw new IllegalArgumentException("command must not be blank");
        }
        timeout.ifPresent(limit -> {
            if (limit.isZero() || limit.isNegative()) {
                throw new IllegalArgumentException("timeout of '" + text + "' must be positive: " + limit);
            }
        });
        environment.forEach(Command::requireVariable);
        environment = java.util.Collections.unmodifiableMap(new TreeMap<>(environment));
        sudo.ifPresent(Command::requireUser);
        if (pty.isPresent() && stdin.isPresent()) {
            throw new IllegalArgumentException("'" + text + "' cannot have both a pty and stdin: a terminal has no end "
                    + "of input");
        }
        if (sudo.isPresent() && envDelivery == EnvDelivery.REQUEST && !environment.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': sudo clears the environment, so env requests would "
                    + "not reach the command: use EnvDelivery.EXPORT");
        }
    }

    /** A command with the old three options: no environment, pty, stdin or sudo. */
    public Command(String text, Optional<Duration> timeout, boolean check) {
        this(text, timeout, check, Map.of(), EnvDelivery.EXPORT, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A command with the default timeout, not checked. */
    public static Command of(String text) {
        return new Command(text, Optional.empty(), false);
    }

    /** This command with another command line, every option kept. */
    public Command withText(String newText) {
        return new Command(newText, timeout, check, environment, envDelivery, pty, stdin, sudo);
    }

    /** This command with its own timeout. */
    public Command withTimeout(Duration limit) {
        return new Command(text, Optional.of(limit), check, environment, envDelivery, pty, stdin, sudo);
    }

    /** This command, with a non-zero exit turned into {@code CommandFailedException}. */
    public Command checked() {
        return new Command(text, timeout, true, environment, envDelivery, pty, stdin, sudo);
    }

    /**
     * This command with one more environment variable (replacing one of the same name).
     *
     * @throws IllegalArgumentException for a name other than letters, digits and '_' (not starting with a digit), or
     *     a value holding a NUL character
     */
    public Command withEnv(String name, String value) {
        Map<String, String> all = new TreeMap<>(environment);
        all.put(name, value);
        return new Command(text, timeout, check, all, envDelivery, pty, stdin, sudo);
    }

    /** This command with its environment sent as SSH {@code env} requests (see {@link EnvDelivery#REQUEST}). */
    public Command withEnvRequests() {
        return new Command(text, timeout, check, environment, EnvDelivery.REQUEST, pty, stdin, sudo);
    }

    /** This command on an 80x24 pseudo-terminal (see {@link Pty}). */
    public Command withPty() {
        return withPty(Pty.DEFAULT);
    }

    /** This command on a pseudo-terminal of this size (see {@link Pty}). */
    public Command withPty(Pty size) {
        return new Command(text, timeout, check, environment, envDelivery, Optional.of(size), stdin, sudo);
    }

    /** This command reading {@code input} as its standard input. */
    public Command withStdin(Stdin input) {
        return new Command(text, timeout, check, environment, envDelivery, pty, Optional.of(input), sudo);
    }

    /** This command run as root through {@code sudo}; see {@link #withSudo(String)}. */
    public Command withSudo() {
        return withSudo("root");
    }

    /**
     * This command run as {@code user} through {@code sudo}, by {@code /bin/sh}: {@code sudo -S -p PROMPT -u user --
     * /bin/sh -c 'text'}. When sudo asks, fanout answers its prompt with the password of the host's credentials (their
     * first password method), then strips the prompt and everything sudo printed before the command started from the
     * output: the password is never on a command line and never in the output. The command runs on a pseudo-terminal
     * (so a sudoers {@code Defaults requiretty} is no obstacle; its stderr then comes merged into stdout), unless it
     * has {@link #withStdin stdin}: then sudo reads the password from the input ahead of it, without a terminal, which
     * servers with {@code requiretty} refuse. A wrong password, a password asked when the credentials hold none, or
     * sudo ending without starting the command fail the host with {@code SudoFailedException}.
     *
     * @throws IllegalArgumentException for a blank user, one starting with '-', or one holding white space or control
     *     characters
     */
    public Command withSudo(String user) {
        return new Command(text, timeout, check, environment, envDelivery, pty, stdin, Optional.of(user));
    }

    private static void requireVariable(String name, String value) {
        Objects.requireNonNull(name, "environment variable name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("environment variable name must be letters, digits and '_', not "
                    + "starting with a digit: '" + name + "'");
        }
        Objects.requireNonNull(value, () -> "value of environment variable " + name);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("environment variable " + name + " holds a NUL character");
        }
    }

    private static void requireUser(String user) {
        if (user.isBlank() || user.startsWith("-") || user.chars().anyMatch(c -> Character.isWhitespace(c)
                || Character.isISOControl(c))) {
            throw new IllegalArgumentException("sudo user must be non-blank, not start with '-', and hold no spaces "
                    + "or control characters: '" + user + "'");
        }
    }

    /** The command's text and options; environment variables by name only, never their values. */
    @Override
    public String toString() {
        return "Command[text=" + text + ", timeout=" + timeout + ", check=" + check + ", environment="
                + environment.keySet() + ", envDelivery=" + envDelivery + ", pty=" + pty + ", stdin=" + stdin
                + ", sudo=" + sudo + "]";
    }
}
