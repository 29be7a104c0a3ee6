package dev.fanout;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One host of a run with its own inputs: the credentials to log in with (else the client's, see
 * {@link Fanout#credentialsFor(Host)}) and the variables its commands refer to as {@code {{name}}}.
 *
 * <pre>{@code
 * Target web1 = Target.of(Host.parse("root@web1", null))
 *         .withCredentials(Credentials.password(Secret.fromEnv("WEB1_PASSWORD")))
 *         .withVar("agent_id", "7f3a");
 * fanout.runTargets(List.of(web1), Task.of("install.sh --id {{agent_id}}"), RunOptions.defaults());
 * // web1 runs: install.sh --id 7f3a
 * }</pre>
 *
 * <p>Each {@code {{name}}} (spaces inside the braces allowed, {@code {{ name }}}) of a command is replaced by the
 * target's value, shell-quoted as one word, so a value can never end its argument and start a command of its own:
 * {@code '; rm -rf /} arrives as that one argument. Write placeholders bare, not inside quotes. Braces around anything
 * that is not a variable name ({@code {{.Names}}} of a docker format) are left as they are. Variables are not for
 * secrets: the command line with their values shows in results, JSON and the host's process list.
 *
 * <p>Immutable and thread-safe; {@link #toString()} names the credential methods, never a secret.
 *
 * @param host the host
 * @param credentials how to log in to it; empty for the client's credentials for the host
 * @param vars the variables, by name (letters, digits and '_', not starting with a digit)
 */
public record Target(Host host, Optional<Credentials> credentials, Map<String, String> vars) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Rejects null components, bad variable names and values holding a NUL character; copies the map. */
    public Target {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(vars, "vars");
        vars.forEach((name, value) -> requireVariable(host, name, value));
        vars = Map.copyOf(vars);
    }

    /** The host with the client's credentials and no variables. */
    public static Target of(Host host) {
        return new Target(host, Optional.empty(), Map.of());
    }

    /** This target logging in with {@code value} instead of the client's credentials. */
    public Target withCredentials(Credentials value) {
        return new Target(host, Optional.of(Objects.requireNonNull(value, "credentials")), vars);
    }

    /** This target with one more variable (replacing one of the same name). */
    public Target withVar(String name, String value) {
        return withVars(Map.of(requireName(host, name), Objects.requireNonNull(value, "value of " + name)));
    }

    /** This target with more variables (replacing those of the same names). */
    public Target withVars(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(vars);
        all.putAll(more);
        return new Target(host, credentials, all);
    }

    private static void requireVariable(Host host, String name, String value) {
        requireName(host, name);
        Objects.requireNonNull(value, () -> "value of variable " + name + " of " + host);
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("variable " + name + " of " + host + " holds a NUL character, which "
                    + "no command argument can carry");
        }
    }

    private static String requireName(Host host, String name) {
        Objects.requireNonNull(name, "variable name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("variable name of " + host + " must be letters, digits and '_', not "
                    + "starting with a digit: '" + name + "'");
        }
        return name;
    }
}
