package dev.fanout.internal;

import java.util.regex.Pattern;

/**
 * Quotes text as one word of a POSIX shell ({@code sh}, {@code bash}, {@code dash}), as Python's {@code shlex.quote}
 * does: words of safe characters stay as they are, anything else goes in single quotes, inside which the shell gives
 * no character a meaning; a single quote itself is written {@code '\''}. So the word arrives verbatim as one argument
 * whatever it holds ({@code ;}, {@code $( )}, back-quotes, newlines, spaces, quotes).
 */
public final class ShellQuote {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private ShellQuote() {
    }

    /** {@code text} as one shell word. */
    public static String quote(String text) {
        if (SAFE.matcher(text).matches()) {
            return text;
        }
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
