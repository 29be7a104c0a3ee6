package dev.fanout.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts one output stream of a host into lines as its chunks arrive, each made safe to print by
 * {@link TerminalText}: a chunk may end in the middle of a line or of a UTF-8 character, so what follows the last
 * newline waits for the next chunk, or for {@link #rest()} at the end. A line longer than {@link #MAX_LINE} bytes is
 * cut there (at a character's start), so that a host printing without newlines cannot fill the memory. Not
 * thread-safe: a host's chunks come one at a time.
 */
final class OutputLines {

    /** The longest line kept whole, in bytes. */
    static final int MAX_LINE = 64 * 1024;

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /** The lines that {@code chunk} completes, safe to print. */
    List<String> add(byte[] chunk) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < chunk.length; i++) {
            if (chunk[i] == '\n') {
                partial.write(chunk, start, i - start);
                lines.add(take(partial.size(), true));
                start = i + 1;
            }
        }
        partial.write(chunk, start, chunk.length - start);
        while (partial.size() > MAX_LINE) {
            lines.add(take(characterStart(partial.toByteArray(), MAX_LINE), false));
        }
        return lines;
    }

    /** What is left after the last newline, as a line safe to print; empty when nothing is. */
    List<String> rest() {
        return partial.size() == 0 ? List.of() : List.of(take(partial.size(), false));
    }

    /** The first {@code length} bytes as one line (a CR before its newline dropped), the rest kept. */
    private String take(int length, boolean newline) {
        byte[] all = partial.toByteArray();
        int end = newline && length > 0 && all[length - 1] == '\r' ? length - 1 : length;
        String line = TerminalText.line(new String(all, 0, end, StandardCharsets.UTF_8));
        partial.reset();
        partial.write(all, length, all.length - length);
        return line;
    }

    /** {@code at}, moved back to the start of the UTF-8 character it falls in (unless that leaves nothing). */
    private static int characterStart(byte[] bytes, int at) {
        int start = at;
        while (start > 0 && (bytes[start] & 0xC0) == 0x80) {
            start--;
        }
        return start == 0 ? at : start;
    }
}
