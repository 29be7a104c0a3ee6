package dev.fanout.internal.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands host patterns as ClusterShell and pdsh write them: {@code web[01-50].dc1} (zero padding kept),
 * {@code 10.0.[0-3].[1-254]}, {@code node[1,3,5-7]}; several brackets multiply. A name without brackets stands
 * for itself. {@link #fold} is the inverse.
 */
public final class HostPatterns {

    /** The most names one pattern may expand to unless told otherwise. */
    public static final int DEFAULT_MAX_EXPANSION = 100_000;

    /** The most digits of a number in a range: a long holds 18 of them whatever they are. */
    static final int MAX_DIGITS = 18;

    private static final Pattern BRACKET = Pattern.compile("\\[([^\\[\\]]*)]");
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");

    /**
     * One part of a bracket, {@code 01-50} or {@code 7}: the numbers {@code low..high}, each written with at least
     * {@code width} digits (zeros in front), or as they are when {@code width} is 0.
     *
     * @param low the first number
     * @param high the last number
     * @param width the digits of {@code low} as written when it starts with 0 ({@code 01}), else 0
     */
    record RangePart(long low, long high, int width) {

        /** Whether the part writes exactly these digits. */
        boolean writes(String digits) {
            if (digits.isEmpty() || digits.length() > MAX_DIGITS) {
                return false;
            }
            long value = Long.parseLong(digits);
            return value >= low && value <= high && format(value, width).equals(digits);
        }
    }

    private HostPatterns() {
    }

    /**
     * The names a pattern stands for, in order.
     *
     * @throws IllegalArgumentException for a malformed range or an expansion beyond {@code max} names
     */
    public static List<String> expand(String pattern, int max) {
        List<String> names = new ArrayList<>(List.of(""));
        Matcher matcher = BRACKET.matcher(pattern);
        int position = 0;
        while (matcher.find()) {
            List<String> values = values(parts(matcher.group(1), pattern));
            String literal = pattern.substring(position, matcher.start());
            long size = (long) names.size() * values.size();
            if (size > max) {
                throw new IllegalArgumentException("pattern '" + pattern + "' expands to more than " + max + " hosts");
            }
            List<String> next = new ArrayList<>((int) size);
            for (String prefix : names) {
                for (String value : values) {
                    next.add(prefix + literal + value);
                }
            }
            names = next;
            position = matcher.end();
        }
        String rest = pattern.substring(position);
        if (rest.contains("[") || rest.contains("]")) {
            throw new IllegalArgumentException("unbalanced brackets in host pattern '" + pattern + "'");
        }
        return names.stream().map(name -> name + rest).toList();
    }

    /**
     * The parts of a bracket's body, {@code 01-07,09}.
     *
     * @param body the text between the brackets
     * @param pattern the whole pattern, for messages
     * @throws IllegalArgumentException for a malformed, descending or too large range
     */
    static List<RangePart> parts(String body, String pattern) {
        List<RangePart> parts = new ArrayList<>();
        for (String part : body.split(",", -1)) {
            Matcher range = RANGE.matcher(part.strip());
            if (!range.matches()) {
                throw new IllegalArgumentException("invalid range '" + part + "' in host pattern '" + pattern + "'");
            }
            String from = range.group(1);
            String to = range.group(2) == null ? from : range.group(2);
            if (from.length() > MAX_DIGITS || to.length() > MAX_DIGITS) {
                throw new IllegalArgumentException("range '" + part + "' in host pattern '" + pattern + "' has a "
                        + "number of more than " + MAX_DIGITS + " digits");
            }
            long low = Long.parseLong(from);
            long high = Long.parseLong(to);
            if (high < low) {
                throw new IllegalArgumentException("descending range '" + part + "' in host pattern '" + pattern + "'");
            }
            if (high - low > DEFAULT_MAX_EXPANSION * 10L) {
                throw new IllegalArgumentException("range '" + part + "' in host pattern '" + pattern
                        + "' is too large");
            }
            parts.add(new RangePart(low, high, from.length() > 1 && from.startsWith("0") ? from.length() : 0));
        }
        return parts;
    }

    private static List<String> values(List<RangePart> parts) {
        List<String> values = new ArrayList<>();
        for (RangePart part : parts) {
            for (long value = part.low(); value <= part.high(); value++) {
                values.add(format(value, part.width()));
            }
        }
        return values;
    }

    /** The number with at least {@code width} digits, zeros in front. */
    static String format(long value, int width) {
        String digits = Long.toString(value);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }

    /**
     * Folds names into patterns, as ClusterShell's {@code nodeset -f} does: {@code web01 web02 web03 web05} becomes
     * {@code web[01-03,05]}, {@code 10.0.0.1 ... 10.0.3.254} becomes {@code 10.0.[0-3].[1-254]}; every number of a
     * name is folded, zero padding kept ({@code web1} and {@code web01} are different names). The exact inverse of
     * {@link #expand}: the patterns, expanded, give the same names, each once. The names must hold no brackets and
     * no commas (host addresses never do).
     *
     * @return the patterns, comma separated
     */
    public static String fold(List<String> names) {
        return String.join(",", FoldedNames.fold(names));
    }

    /** {@link #fold}, one pattern an element, in the order of each pattern's first name. */
    public static List<String> foldEach(List<String> names) {
        return FoldedNames.fold(names);
    }
}
