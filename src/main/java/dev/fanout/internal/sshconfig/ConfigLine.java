package dev.fanout.internal.sshconfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One line of an OpenSSH client config split as {@code ssh} splits it: the keyword (lower-cased; keywords are
 * case-insensitive), separated from its arguments by white space or one {@code =}; arguments separated by white
 * space, in double or single quotes when they hold spaces, with {@code \"}, {@code \'}, {@code \\} and (outside
 * quotes) {@code \ } escapes; a {@code #} where an argument would start ends the line.
 *
 * @param keyword the keyword, lower-cased
 * @param args the arguments, unquoted
 */
record ConfigLine(String keyword, List<String> args) {

    /**
     * Splits a line; null for a blank or comment line.
     *
     * @throws IllegalArgumentException for an unclosed quote or a keyword without arguments
     */
    static ConfigLine parse(String text) {
        String line = text.strip();
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        int end = 0;
        while (end < line.length() && !isBlank(line.charAt(end)) && line.charAt(end) != '=') {
            end++;
        }
        String keyword = line.substring(0, end).toLowerCase(Locale.ROOT);
        int rest = end;
        while (rest < line.length() && isBlank(line.charAt(rest))) {
            rest++;
        }
        if (rest < line.length() && line.charAt(rest) == '=') {
            rest++;
        }
        List<String> args = split(line.substring(rest));
        if (keyword.isEmpty() || args.isEmpty()) {
            throw new IllegalArgumentException("no argument after keyword \"" + keyword + "\"");
        }
        return new ConfigLine(keyword, List.copyOf(args));
    }

    private static List<String> split(String text) {
        List<String> args = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (isBlank(text.charAt(i))) {
                i++;
                continue;
            }
            if (text.charAt(i) == '#') {
                break;
            }
            StringBuilder arg = new StringBuilder();
            char quote = 0;
            for (; i < text.length(); i++) {
                char c = text.charAt(i);
                char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
                if (c == '\\' && (next == '\'' || next == '"' || next == '\\' || (quote == 0 && next == ' '))) {
                    arg.append(next);
                    i++;
                } else if (quote == 0 && isBlank(c)) {
                    break;
                } else if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else {
                    arg.append(c);
                }
            }
            if (quote != 0) {
                throw new IllegalArgumentException("unclosed quote");
            }
            args.add(arg.toString());
        }
        return args;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\f' || c == '\r';
    }
}
