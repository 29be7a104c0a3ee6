package dev.fanout.internal.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Host patterns expanded and folded back: folding is the exact inverse of expansion. */
class HostPatternsTest {

    private static List<String> expand(String pattern) {
        return HostPatterns.expand(pattern, HostPatterns.DEFAULT_MAX_EXPANSION);
    }

    /** Every name the patterns stand for, each pattern expanded on its own, as -H and a plain list read them. */
    private static List<String> expandAll(List<String> patterns) {
        List<String> names = new ArrayList<>();
        patterns.forEach(pattern -> names.addAll(expand(pattern)));
        return names;
    }

    @Test
    void expandsRangesKeepingPaddingAndMultiplyingBrackets() {
        assertEquals(List.of("web08.dc1", "web09.dc1", "web10.dc1"), expand("web[08-10].dc1"));
        assertEquals(List.of("n1", "n3", "n5", "n6", "n7"), expand("n[1,3,5-7]"));
        assertEquals(List.of("r1n01", "r1n02", "r2n01", "r2n02"), expand("r[1-2]n[01-02]"));
        assertEquals(List.of("n9", "n10", "n098", "n099", "n100"), expand("n[9-10,098-100]"));
        assertEquals(List.of("web"), expand("web"));
        assertEquals(1016, expand("10.0.[0-3].[1-254]").size());
        assertThrows(IllegalArgumentException.class, () -> expand("n[3-1]"));
        assertThrows(IllegalArgumentException.class, () -> expand("n[a-b]"));
        assertThrows(IllegalArgumentException.class, () -> expand("n[1-2"));
        assertEquals("range '1-1234567890123456789' in host pattern 'n[1-1234567890123456789]' has a number of more "
                + "than 18 digits",
                assertThrows(IllegalArgumentException.class,
                        () -> expand("n[1-1234567890123456789]")).getMessage());
    }

    @Test
    void foldsAlongEveryNumberKeepingPadding() {
        assertEquals("web01", HostPatterns.fold(List.of("web01")));
        assertEquals("web[01-03,05]", HostPatterns.fold(List.of("web01", "web02", "web03", "web05")));
        assertEquals("web[01-07,09].dc1", HostPatterns.fold(expand("web[01-07,09].dc1")));
        assertEquals("10.0.[0-3].[1-254]", HostPatterns.fold(expand("10.0.[0-3].[1-254]")));
        assertEquals("rack[1-4]-node[01-16]", HostPatterns.fold(expand("rack[1-4]-node[01-16]")));
        assertEquals("web[1-2].dc1", HostPatterns.fold(List.of("web1.dc1", "web2.dc1")));
        assertEquals("node[08-11]", HostPatterns.fold(List.of("node08", "node09", "node10", "node11")));
        assertEquals("node[8-11]", HostPatterns.fold(List.of("node8", "node9", "node10", "node11")));
        assertEquals("web[1,01]", HostPatterns.fold(List.of("web01", "web1")));
        assertEquals("web[1-2,01-02,001]", HostPatterns.fold(List.of("web2", "web01", "web1", "web001", "web02")));
        assertEquals("2001:db8::[1-3]", HostPatterns.fold(List.of("2001:db8::1", "2001:db8::2", "2001:db8::3")));
        assertEquals("db,web[1-2],x12345678901234567890", HostPatterns.fold(List.of("db", "web1",
                "x12345678901234567890", "web2", "db")));
    }

    /** A product of ranges folds back into one pattern that expands to the same names. */
    @Test
    void foldsEveryProductOfRangesIntoOnePattern() {
        for (int seed = 0; seed < 2_000; seed++) {
            Random random = new Random(seed);
            StringBuilder pattern = new StringBuilder(random.nextBoolean() ? "web" : "");
            int fields = 1 + random.nextInt(3);
            for (int field = 0; field < fields; field++) {
                pattern.append(randomBracket(random)).append(field == fields - 1 ? ".dc1" : "-");
            }
            Set<String> names = new HashSet<>(expand(pattern.toString()));
            List<String> folded = HostPatterns.foldEach(new ArrayList<>(names));
            assertEquals(1, folded.size(), "seed " + seed + ": " + pattern + " folded into " + folded);
            assertSameNames(names, expandAll(folded), "seed " + seed + ": " + pattern);
        }
    }

    /** Random sets of names, many sharing their shapes: expand(fold(S)) is S, each name once. */
    @Test
    void expandingTheFoldGivesBackExactlyTheNames() {
        for (int seed = 0; seed < 3_000; seed++) {
            Random random = new Random(seed);
            Set<String> names = new LinkedHashSet<>();
            int count = 1 + random.nextInt(40);
            List<String> shapes = List.of("web#", "web#.dc#", "#", "r#n#-#", "10.0.#.#", "2001:db8::#:#", "db",
                    "fe80::#%eth#", "n#x");
            while (names.size() < count) {
                String shape = shapes.get(random.nextInt(random.nextBoolean() ? 3 : shapes.size()));
                StringBuilder name = new StringBuilder();
                String[] texts = shape.split("#", -1);
                for (int i = 0; i < texts.length; i++) {
                    name.append(i == 0 ? "" : randomNumber(random)).append(texts[i]);
                }
                names.add(name.toString());
            }
            List<String> shuffled = new ArrayList<>(names);
            java.util.Collections.shuffle(shuffled, random);
            assertSameNames(names, expandAll(HostPatterns.foldEach(shuffled)), "seed " + seed + ": " + shuffled);
        }
    }

    private static void assertSameNames(Set<String> expected, List<String> expanded, String message) {
        assertEquals(expected.size(), expanded.size(), message + ": each name once");
        assertEquals(expected, new HashSet<>(expanded), message);
    }

    /** A number as hosts are numbered: mostly small, padded or not, now and then large or long. */
    private static String randomNumber(Random random) {
        long value = switch (random.nextInt(6)) {
            case 0 -> random.nextInt(3);
            case 1, 2, 3 -> random.nextInt(12);
            case 4 -> 90 + random.nextInt(20);
            default -> random.nextInt(1_000_000);
        };
        int width = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 0;
        String digits = HostPatterns.format(value, width);
        return random.nextInt(200) == 0 ? digits + "1234567890123456789" : digits;
    }

    private static String randomBracket(Random random) {
        List<String> parts = new ArrayList<>();
        long next = random.nextInt(5);
        int width = random.nextBoolean() ? 2 + random.nextInt(2) : 0;
        for (int part = 0; part < 1 + random.nextInt(3); part++) {
            long low = next;
            long high = low + random.nextInt(4);
            parts.add(HostPatterns.format(low, width) + "-" + HostPatterns.format(high, width));
            next = high + 2 + random.nextInt(3);
        }
        return "[" + String.join(",", parts) + "]";
    }
}
