package dev.fanout;

import java.util.Objects;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * One SSH endpoint: the address to connect to, its port and the login user.
 *
 * <p>Immutable and validated on construction: the address must be a host name (RFC 1123 labels; '_' allowed inside a
 * label), an IPv4 or an IPv6 address, and nothing else, since it is written into known_hosts and names the file
 * {@link Step#downloadEach} writes; the port within 1..65535; the user non-blank without white space, '@' or control
 * characters. {@link #toString()} gives {@code user@address:port} (IPv6 literals in brackets), the label every result
 * and error of fanout uses for this host.
 *
 * @param address host name or IP address, as given (an IPv6 literal without brackets)
 * @param port TCP port, 22 by default
 * @param user login user name
 */
public record Host(String address, int port, String user) {

    /** The SSH port used when none is given. */
    public static final int DEFAULT_PORT = 22;

    /** Validates every component; throws {@link IllegalArgumentException} naming the bad one and its value. */
    public Host {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        HostAddresses.requireValid(address);
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port of " + address + " must be within 1..65535: " + port);
        }
        if (user.isBlank() || user.chars().anyMatch(c -> Character.isWhitespace(c) || c == '@'
                || Character.isISOControl(c))) {
            throw new IllegalArgumentException("user for " + address + " must be non-blank without spaces, '@' or "
                    + "control characters: " + HostAddresses.quote(user));
        }
    }

    /** A host on the default port 22. */
    public static Host of(String user, String address) {
        return new Host(address, DEFAULT_PORT, user);
    }

    /**
     * Parses {@code [user@]address[:port]}; IPv6 literals go in brackets ({@code root@[::1]:2222}).
     *
     * @param spec the text to parse
     * @param defaultUser the user when {@code spec} names none
     * @throws IllegalArgumentException if the text is malformed, naming it
     */
    public static Host parse(String spec, String defaultUser) {
        return parse(spec, address -> defaultUser, address -> DEFAULT_PORT);
    }

    /**
     * Parses {@code [user@]address[:port]}, asking for the user and port the text does not give.
     *
     * @param defaultUser the user of an address given without one (null if there is none)
     * @param defaultPort the port of an address given without one
     */
    static Host parse(String spec, UnaryOperator<String> defaultUser, ToIntFunction<String> defaultPort) {
        Objects.requireNonNull(spec, "spec");
        String rest = spec.strip();
        String user = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String address = rest;
        Integer port = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in host " + HostAddresses.quote(spec));
            }
            address = rest.substring(1, close);
            String tail = rest.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw new IllegalArgumentException("unexpected text after ']' in host "
                            + HostAddresses.quote(spec));
                }
                port = parsePort(tail.substring(1), spec);
            }
        } else if (rest.indexOf(':') >= 0 && rest.indexOf(':') == rest.lastIndexOf(':')) {
            int colon = rest.indexOf(':');
            address = rest.substring(0, colon);
            port = parsePort(rest.substring(colon + 1), spec);
        }
        if (user == null) {
            user = defaultUser.apply(address);
        }
        if (user == null) {
            throw new IllegalArgumentException("no user given for host " + HostAddresses.quote(spec));
        }
        return new Host(address, port != null ? port : defaultPort.applyAsInt(address), user);
    }

    private static int parsePort(String text, String spec) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port '" + text + "' in host " + HostAddresses.quote(spec), e);
        }
    }

    /** The host's name as OpenSSH writes it in known_hosts: {@code address}, or {@code [address]:port} off port 22. */
    public String knownHostsName() {
        return port == DEFAULT_PORT ? address : "[" + address + "]:" + port;
    }

    @Override
    public String toString() {
        String shownAddress = address.indexOf(':') >= 0 ? "[" + address + "]" : address;
        return user + "@" + shownAddress + ":" + port;
    }
}
