package dev.fanout.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Makes text from hosts (their output, error messages that quote a server, names) safe to print: every control
 * character but tab, that is C0 (with ESC and CR), DEL and C1 (U+0080 to U+009F), is shown as {@code \xHH}, its
 * code in hex, so a host cannot move the cursor, rewrite other hosts' lines, clear the screen or set the clipboard
 * (OSC 52). Newlines split text into lines; a CR just before a newline ends the line with it (CRLF).
 */
final class TerminalText {

    private static final char[] HEX_DIGITS = "0123456789abcdef".toCharArray();

    private TerminalText() {
    }

    /** The lines of {@code text} (split at newlines, a CR before one dropped), each safe to print. */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int newline = text.indexOf('\n', start);
            int end = newline < 0 ? text.length() : newline;
            int lineEnd = newline > start && text.charAt(newline - 1) == '\r' ? newline - 1 : end;
            lines.add(line(text.substring(start, lineEnd)));
            start = end + 1;
        }
        return lines;
    }

    /** {@code text} as one line safe to print: newlines are escaped too. */
    static String line(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                if (safe == null) {
                    safe = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                safe.append("\\x").append(HEX_DIGITS[c >> 4]).append(HEX_DIGITS[c & 0xf]);
            } else if (safe != null) {
                safe.append(c);
            }
        }
        return safe == null ? text : safe.toString();
    }

    private static boolean isControl(char c) {
        return (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }
}
