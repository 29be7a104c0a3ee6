package dev.fanout.internal.inventory;

import dev.fanout.Host;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Which hosts a host term of {@code --limit} or {@code -x} names: {@code [user@]PATTERN[:port]}. The pattern is
 * matched against each host's address, letter case ignored, without expanding it: {@code web[01-50].dc1} (ranges as
 * {@link HostPatterns} writes them, zero padding kept), {@code *} for any run of characters ({@code *.dc2}), an IPv6
 * address in brackets ({@code [2001:db8::*]}). A user or port, when given, must be the host's too. Immutable.
 */
final class HostMatcher {

    /** A piece of a pattern: text, a bracket of ranges, or {@code *}. */
    private sealed interface Piece {
    }

    private record Text(String lowerCase) implements Piece {
    }

    private record Ranges(List<HostPatterns.RangePart> parts) implements Piece {
    }

    private record Star() implements Piece {
    }

    private final String user;
    private final List<Piece> pieces;
    private final OptionalInt port;

    private HostMatcher(String user, List<Piece> pieces, OptionalInt port) {
        this.user = user;
        this.pieces = List.copyOf(pieces);
        this.port = port;
    }

    /**
     * Reads {@code [user@]PATTERN}.
     *
     * @param text the term, without its port
     * @param port the port the host must have, if any
     * @throws IllegalArgumentException for an empty pattern, unbalanced brackets or a malformed range
     */
    static HostMatcher parse(String text, OptionalInt port) {
        int at = text.lastIndexOf('@');
        String user = at >= 0 ? text.substring(0, at) : null;
        String pattern = text.substring(at + 1);
        if (pattern.isEmpty() || (user != null && user.isEmpty())) {
            throw new IllegalArgumentException("'" + text + "' names no host");
        }
        int close = pattern.indexOf(']');
        if (pattern.startsWith("[") && close > 0 && pattern.substring(1, close).indexOf(':') >= 0) {
            if (close != pattern.length() - 1) {
                throw new IllegalArgumentException("unexpected text after ']' in '" + text + "'");
            }
            return new HostMatcher(user, globs(pattern.substring(1, close)), port);
        }
        List<Piece> pieces = new ArrayList<>();
        int position = 0;
        while (position < pattern.length()) {
            int open = pattern.indexOf('[', position);
            int end = pattern.indexOf(']', position);
            if (end >= 0 && (open < 0 || end < open)) {
                throw new IllegalArgumentException("unbalanced brackets in host pattern '" + pattern + "'");
            }
            if (open < 0) {
                pieces.addAll(globs(pattern.substring(position)));
                break;
            }
            if (end < 0) {
                throw new IllegalArgumentException("unbalanced brackets in host pattern '" + pattern + "'");
            }
            pieces.addAll(globs(pattern.substring(position, open)));
            pieces.add(new Ranges(HostPatterns.parts(pattern.substring(open + 1, end), pattern)));
            position = end + 1;
        }
        return new HostMatcher(user, pieces, port);
    }

    private static List<Piece> globs(String text) {
        List<Piece> pieces = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*') {
                if (!literal.isEmpty()) {
                    pieces.add(new Text(literal.toString().toLowerCase(Locale.ROOT)));
                    literal.setLength(0);
                }
                pieces.add(new Star());
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            pieces.add(new Text(literal.toString().toLowerCase(Locale.ROOT)));
        }
        return pieces;
    }

    /** Whether the host's address, user and port are those of the term. */
    boolean matches(Host host) {
        if ((user != null && !user.equals(host.user())) || (port.isPresent() && port.getAsInt() != host.port())) {
            return false;
        }
        String address = host.address().toLowerCase(Locale.ROOT);
        return matches(address, 0, 0, new BitSet());
    }

    /**
     * Whether {@code pieces[piece..]} write {@code address[position..]}; {@code failed} remembers the pairs that do
     * not, so that several {@code *} cost at most pieces times characters steps.
     */
    private boolean matches(String address, int piece, int position, BitSet failed) {
        if (piece == pieces.size()) {
            return position == address.length();
        }
        int state = piece * (address.length() + 1) + position;
        if (failed.get(state)) {
            return false;
        }
        boolean matched = switch (pieces.get(piece)) {
            case Text text -> address.startsWith(text.lowerCase(), position)
                    && matches(address, piece + 1, position + text.lowerCase().length(), failed);
            case Star star -> {
                boolean any = false;
                for (int end = position; end <= address.length() && !any; end++) {
                    any = matches(address, piece + 1, end, failed);
                }
                yield any;
            }
            case Ranges ranges -> {
                boolean any = false;
                int end = position;
                while (!any && end < address.length() && end - position < HostPatterns.MAX_DIGITS
                        && Character.isDigit(address.charAt(end))) {
                    end++;
                    String digits = address.substring(position, end);
                    any = ranges.parts().stream().anyMatch(part -> part.writes(digits))
                            && matches(address, piece + 1, end, failed);
                }
                yield any;
            }
        };
        if (!matched) {
            failed.set(state);
        }
        return matched;
    }
}
