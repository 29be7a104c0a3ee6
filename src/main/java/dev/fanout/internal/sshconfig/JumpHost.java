package dev.fanout.internal.sshconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One hop of a {@code ProxyJump} list, as {@code ssh} reads it: {@code [user@]host[:port]} or
 * {@code ssh://[user@]host[:port]}, an IPv6 address in brackets. The host may be an alias of the same config.
 *
 * @param user the login user, if given
 * @param host the host name, address or alias
 * @param port the port, if given
 */
public record JumpHost(Optional<String> user, String host, OptionalInt port) {

    /**
     * Parses a comma-separated list of hops, in the order they are visited.
     *
     * @throws IllegalArgumentException naming a malformed hop
     */
    static List<JumpHost> parseList(String text) {
        List<JumpHost> hops = new ArrayList<>();
        for (String hop : text.split(",", -1)) {
            hops.add(parse(hop));
        }
        return List.copyOf(hops);
    }

    private static JumpHost parse(String text) {
        String rest = text.startsWith("ssh://") ? text.substring("ssh://".length()) : text;
        if (text.startsWith("ssh://") && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        Optional<String> user = Optional.empty();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = Optional.of(rest.substring(0, at));
            rest = rest.substring(at + 1);
        }
        String host = rest;
        OptionalInt port = OptionalInt.empty();
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw malformed(text);
            }
            host = rest.substring(1, close);
            String tail = rest.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw malformed(text);
                }
                port = OptionalInt.of(port(tail.substring(1), text));
            }
        } else if (rest.indexOf(':') >= 0) {
            host = rest.substring(0, rest.indexOf(':'));
            port = OptionalInt.of(port(rest.substring(rest.indexOf(':') + 1), text));
        }
        if (host.isEmpty() || user.filter(String::isEmpty).isPresent() || host.chars().anyMatch(c -> c <= ' ')) {
            throw malformed(text);
        }
        return new JumpHost(user, host, port);
    }

    private static int port(String text, String hop) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw malformed(hop);
    }

    private static IllegalArgumentException malformed(String hop) {
        return new IllegalArgumentException("invalid ProxyJump hop \"" + hop + "\" (expected [user@]host[:port])");
    }

    /** {@code [user@]host[:port]}, as written. */
    @Override
    public String toString() {
        String shown = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        return user.map(name -> name + "@").orElse("") + shown + (port.isPresent() ? ":" + port.getAsInt() : "");
    }
}
