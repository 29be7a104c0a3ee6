package dev.fanout.internal.sshconfig;

import java.util.Map;
import java.util.Set;

/**
 * Expands what OpenSSH expands in file names and host names: a leading {@code ~} or {@code ~/} (the home
 * directory), {@code ${VAR}} (an environment variable) and {@code %} tokens ({@code %%} a percent sign, {@code %h}
 * the remote host, ...). Only the tokens fanout knows are accepted: {@code %%}, {@code %d} (home), {@code %h}
 * (remote host name), {@code %k} (host key alias, else the host as given), {@code %n} (the host as given),
 * {@code %p} (port), {@code %r} (remote user) and {@code %u} (local user).
 */
final class Tokens {

    /** The tokens of file names (IdentityFile, IdentityAgent, UserKnownHostsFile). */
    static final Set<Character> FILE_TOKENS = Set.of('%', 'd', 'h', 'k', 'n', 'p', 'r', 'u');
    /** The tokens of HostName. */
    static final Set<Character> HOST_NAME_TOKENS = Set.of('%', 'h');

    private Tokens() {
    }

    /**
     * Checks that a value uses only these tokens and well-formed {@code ${VAR}}s.
     *
     * @throws IllegalArgumentException naming the token or variable at fault
     */
    static void check(String value, Set<Character> allowed) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%') {
                if (i + 1 >= value.length()) {
                    throw new IllegalArgumentException("'%' at the end of \"" + value + "\"");
                }
                char token = value.charAt(++i);
                if (!allowed.contains(token)) {
                    throw new IllegalArgumentException("token %" + token + " in \"" + value
                            + "\" is not supported by fanout (it takes " + describe(allowed) + ")");
                }
            } else if (c == '$' && i + 1 < value.length() && value.charAt(i + 1) == '{') {
                int close = value.indexOf('}', i);
                if (close < 0 || close == i + 2) {
                    throw new IllegalArgumentException("malformed ${...} in \"" + value + "\"");
                }
                i = close;
            }
        }
    }

    private static String describe(Set<Character> allowed) {
        return allowed.stream().sorted().map(token -> "%" + token).reduce((a, b) -> a + " " + b).orElse("none");
    }

    /**
     * Expands a file name: a leading {@code ~}, {@code ${VAR}}s, then {@code %} tokens (the value {@link #check
     * checked}).
     *
     * @param tokens the value of each token but {@code %%}
     * @throws IllegalArgumentException when an environment variable is unset, naming it
     */
    static String expandPath(String value, Map<Character, String> tokens, LocalUser user) {
        String text = value.equals("~") || value.startsWith("~/") ? user.home() + value.substring(1) : value;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int close = text.indexOf('}', i);
                String name = text.substring(i + 2, close);
                String variable = user.environment().apply(name);
                if (variable == null) {
                    throw new IllegalArgumentException("environment variable " + name + " is not set");
                }
                out.append(variable);
                i = close;
            } else {
                out.append(c);
            }
        }
        return expandTokens(out.toString(), tokens);
    }

    /**
     * Expands {@code %} tokens (the value {@link #check checked}).
     *
     * @param tokens the value of each token but {@code %%}
     */
    static String expandTokens(String value, Map<Character, String> tokens) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '%' && i + 1 < value.length()) {
                char token = value.charAt(++i);
                out.append(token == '%' ? "%" : tokens.get(token));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
