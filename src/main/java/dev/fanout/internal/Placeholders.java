package dev.fanout.internal;

import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {{name}}} placeholders of a command line ({@code {{ name }}} too) and their substitution by values
 * quoted as one shell word each ({@link ShellQuote}). Braces around anything but a variable name, such as a docker
 * format's {@code {{.Names}}}, are not placeholders and stay as they are.
 */
public final class Placeholders {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*}}");

    private Placeholders() {
    }

    /** The names the text refers to, in order of first use. */
    public static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(text);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    /**
     * The text with each placeholder replaced by its value, shell-quoted.
     *
     * @throws IllegalArgumentException naming the first variable {@code values} lacks
     */
    public static String substitute(String text, Map<String, String> values) {
        Matcher matcher = PLACEHOLDER.matcher(text);
        StringBuilder result = new StringBuilder(text.length());
        while (matcher.find()) {
            String value = values.get(matcher.group(1));
            if (value == null) {
                throw new IllegalArgumentException("{{" + matcher.group(1) + "}} is not set");
            }
            matcher.appendReplacement(result, Matcher.quoteReplacement(ShellQuote.quote(value)));
        }
        matcher.appendTail(result);
        return result.toString();
    }
}
