package dev.fanout.internal.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands host patterns as ClusterShell and pdsh write them: {@code web[01-50].dc1} (zero padding kept),
 * {@code 10.0.[0-3].[1-254]}, {@code node[1,3,5-7]}; several brackets multiply. A name without brackets stands
 * for itself.
 */
public final class HostPatterns {

    /** The most names one pattern may expand to unless told otherwise. */
    public static final int DEFAULT_MAX_EXPANSION = 100_000;

    private static final Pattern BRACKET = Pattern.compile("\\[([^\\[\\]]*)]");
    private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");

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
            List<String> values = values(matcher.group(1), pattern);
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

    private static List<String> values(String body, String pattern) {
        List<String> values = new ArrayList<>();
        for (String part : body.split(",", -1)) {
            Matcher range = RANGE.matcher(part.strip());
            if (!range.matches()) {
                throw new IllegalArgumentException("invalid range '" + part + "' in host pattern '" + pattern + "'");
            }
            String from = range.group(1);
            String to = range.group(2) == null ? from : range.group(2);
            long low = Long.parseLong(from);
            long high = Long.parseLong(to);
            if (high < low) {
                throw new IllegalArgumentException("descending range '" + part + "' in host pattern '" + pattern + "'");
            }
            if (high - low > DEFAULT_MAX_EXPANSION * 10L) {
                throw new IllegalArgumentException("range '" + part + "' in host pattern '" + pattern
                        + "' is too large");
            }
            int width = from.length() > 1 && from.startsWith("0") ? from.length() : 0;
            for (long value = low; value <= high; value++) {
                values.add(width > 0 ? String.format("%0" + width + "d", value) : Long.toString(value));
            }
        }
        return values;
    }

    /**
     * Folds names back into patterns, as {@code clubak} and {@code dshbak -c} show host sets:
     * {@code web01 web02 web03 web05} becomes {@code web[01-03,05]}.
     */
    public static String fold(List<String> names) {
        java.util.Map<String, java.util.TreeSet<Long>> numbered = new java.util.LinkedHashMap<>();
        java.util.Map<String, Integer> widths = new java.util.HashMap<>();
        List<String> plain = new ArrayList<>();
        Pattern lastNumber = Pattern.compile("^(.*?)(\\d+)(\\D*)$");
        for (String name : names) {
            Matcher matcher = lastNumber.matcher(name);
            if (!matcher.matches()) {
                plain.add(name);
                continue;
            }
            String digits = matcher.group(2);
            int width = digits.startsWith("0") && digits.length() > 1 ? digits.length() : 0;
            String key = matcher.group(1) + "\u0000" + matcher.group(3) + "\u0000" + width;
            numbered.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(Long.parseLong(digits));
            widths.put(key, width);
        }
        List<String> folded = new ArrayList<>(plain);
        for (var entry : numbered.entrySet()) {
            String[] parts = entry.getKey().split("\u0000", -1);
            java.util.TreeSet<Long> numbers = entry.getValue();
            int width = widths.get(entry.getKey());
            if (numbers.size() == 1) {
                folded.add(parts[0] + format(numbers.first(), width) + parts[1]);
                continue;
            }
            List<String> ranges = new ArrayList<>();
            Long start = null;
            Long previous = null;
            for (long number : numbers) {
                if (start == null) {
                    start = number;
                } else if (number != previous + 1) {
                    ranges.add(range(start, previous, width));
                    start = number;
                }
                previous = number;
            }
            ranges.add(range(start, previous, width));
            folded.add(parts[0] + "[" + String.join(",", ranges) + "]" + parts[1]);
        }
        return String.join(",", folded);
    }

    private static String range(long start, long end, int width) {
        return start == end ? format(start, width) : format(start, width) + "-" + format(end, width);
    }

    private static String format(long value, int width) {
        return width > 0 ? String.format("%0" + width + "d", value) : Long.toString(value);
    }
}
