package dev.fanout.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes as people write them on a command line: {@code 4096}, {@code 512k}, {@code 256m}, {@code 2g}. */
final class ByteSizes {

    private static final Pattern FORMAT = Pattern.compile("(\\d+)([kmg]?)(i?b)?");

    private ByteSizes() {
    }

    /**
     * Parses a whole number of bytes with an optional 1024-based unit: k, m or g (KiB, MiB, GiB; {@code 512MB} and
     * {@code 512MiB} read as {@code 512m}).
     *
     * @throws IllegalArgumentException naming the text when it is malformed or too large
     */
    static long parse(String text) {
        Matcher matcher = FORMAT.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || matcher.group(1).length() > 15) {
            throw new IllegalArgumentException("invalid size '" + text + "' (write e.g. 65536, 512k, 256m, 2g)");
        }
        int shift = switch (matcher.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        long amount = Long.parseLong(matcher.group(1));
        if (amount > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
        return amount << shift;
    }
}
