package dev.fanout.internal.inventory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds names into host patterns along every number in them, as ClusterShell folds node sets along each axis.
 *
 * <p>A name is cut into text and numbers ({@code web01.dc2}: {@code web}, 01, {@code .dc}, 2); names of the same
 * texts form one set. Each name starts as a vector of one-number sets; then, for the last number to the first,
 * vectors equal but for that number are merged, its sets joined. Every merge keeps the union of the vectors' names,
 * and the vectors stay disjoint, so the patterns expand to exactly the names, each once. Digit runs longer than
 * {@value HostPatterns#MAX_DIGITS} are text.
 */
final class FoldedNames {

    /** Digit strings by value, then by length ({@code 1} before {@code 01}). */
    private static final Comparator<String> BY_VALUE = Comparator.<String>comparingLong(Long::parseLong)
            .thenComparingInt(String::length);

    /**
     * A name cut at its numbers.
     *
     * @param texts the text before each number and after the last: one more than the numbers
     * @param numbers the digits of each number, as written
     */
    private record Cut(List<String> texts, List<String> numbers) {

        static Cut of(String name) {
            List<String> texts = new ArrayList<>();
            List<String> numbers = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int i = 0;
            while (i < name.length()) {
                int end = i;
                while (end < name.length() && name.charAt(end) >= '0' && name.charAt(end) <= '9') {
                    end++;
                }
                if (end == i) {
                    text.append(name.charAt(i));
                    end = i + 1;
                } else if (end - i > HostPatterns.MAX_DIGITS) {
                    text.append(name, i, end);
                } else {
                    texts.add(text.toString());
                    text.setLength(0);
                    numbers.add(name.substring(i, end));
                }
                i = end;
            }
            texts.add(text.toString());
            return new Cut(texts, numbers);
        }
    }

    /** One range of a bracket: {@code low..high} written with at least {@code width} digits. */
    private record Run(long low, long high, int width) {

        @Override
        public String toString() {
            String first = HostPatterns.format(low, width);
            return low == high ? first : first + "-" + HostPatterns.format(high, width);
        }
    }

    private FoldedNames() {
    }

    /** The patterns, in the order of each one's first name; repeated names count once. */
    static List<String> fold(List<String> names) {
        Map<List<String>, List<List<String>>> byTexts = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (seen.add(name)) {
                Cut cut = Cut.of(name);
                byTexts.computeIfAbsent(cut.texts(), texts -> new ArrayList<>()).add(cut.numbers());
            }
        }
        List<String> patterns = new ArrayList<>();
        byTexts.forEach((texts, numbers) -> patterns.addAll(fold(texts, numbers)));
        return patterns;
    }

    private static List<String> fold(List<String> texts, List<List<String>> names) {
        int fields = texts.size() - 1;
        List<List<NavigableSet<String>>> vectors = new ArrayList<>(names.size());
        for (List<String> numbers : names) {
            List<NavigableSet<String>> vector = new ArrayList<>(fields);
            for (String number : numbers) {
                NavigableSet<String> set = new TreeSet<>(BY_VALUE);
                set.add(number);
                vector.add(set);
            }
            vectors.add(vector);
        }
        for (int field = fields - 1; field >= 0; field--) {
            Map<String, List<NavigableSet<String>>> merged = new LinkedHashMap<>();
            for (List<NavigableSet<String>> vector : vectors) {
                List<NavigableSet<String>> into = merged.putIfAbsent(keyWithout(vector, field), vector);
                if (into != null) {
                    into.get(field).addAll(vector.get(field));
                }
            }
            vectors = new ArrayList<>(merged.values());
        }
        List<String> patterns = new ArrayList<>(vectors.size());
        for (List<NavigableSet<String>> vector : vectors) {
            StringBuilder pattern = new StringBuilder(texts.get(0));
            for (int field = 0; field < fields; field++) {
                pattern.append(bracket(vector.get(field))).append(texts.get(field + 1));
            }
            patterns.add(pattern.toString());
        }
        return patterns;
    }

    private static String keyWithout(List<NavigableSet<String>> vector, int field) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < vector.size(); i++) {
            key.append(i == field ? "" : bracket(vector.get(i))).append('/');
        }
        return key.toString();
    }

    /** One number as written, or a bracket whose expansion is exactly the set. */
    static String bracket(NavigableSet<String> numbers) {
        if (numbers.size() == 1) {
            return numbers.first();
        }
        List<String> runs = runs(numbers).stream().map(Run::toString).toList();
        return "[" + String.join(",", runs) + "]";
    }

    /**
     * The set as ranges. A number written with zeros in front ({@code 08}) is padded to its length; a range padded
     * to width w also writes numbers of w digits or more as they are, so {@code 08 09 10 11} is {@code 08-11}.
     * Numbers without zeros in front that no padded range takes form ranges of their own.
     */
    private static List<Run> runs(NavigableSet<String> numbers) {
        TreeMap<Integer, TreeSet<Long>> padded = new TreeMap<>();
        TreeSet<Long> plain = new TreeSet<>();
        for (String number : numbers) {
            if (number.length() > 1 && number.charAt(0) == '0') {
                padded.computeIfAbsent(number.length(), width -> new TreeSet<>()).add(Long.parseLong(number));
            } else {
                plain.add(Long.parseLong(number));
            }
        }
        List<Run> runs = new ArrayList<>();
        for (var width : padded.entrySet()) {
            long wide = pow10(width.getKey() - 1); // the first number of w digits: those padding leaves alone
            TreeSet<Long> candidates = new TreeSet<>(width.getValue());
            candidates.addAll(plain.tailSet(wide));
            for (Run run : consecutive(candidates, width.getKey())) {
                if (width.getValue().contains(run.low())) { // padded numbers are below wide: they come first
                    runs.add(run);
                    if (run.high() >= wide) {
                        plain.subSet(wide, true, run.high(), true).clear();
                    }
                }
            }
        }
        runs.addAll(consecutive(plain, 0));
        runs.sort(Comparator.comparingLong(Run::low).thenComparingInt(Run::width));
        return runs;
    }

    private static List<Run> consecutive(NavigableSet<Long> values, int width) {
        List<Run> runs = new ArrayList<>();
        Long low = null;
        long previous = 0;
        for (long value : values) {
            if (low == null) {
                low = value;
            } else if (value != previous + 1) {
                runs.add(new Run(low, previous, width));
                low = value;
            }
            previous = value;
        }
        if (low != null) {
            runs.add(new Run(low, previous, width));
        }
        return runs;
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) {
            value *= 10;
        }
        return value;
    }
}
