package dev.fanout.cli;

import dev.fanout.Host;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the hosts already done from a JSON Lines file written by {@code --out}: those with status ok. Lines that do
 * not parse (a line cut short when a run was killed) are ignored: such a host simply runs again.
 */
final class ResumeFile {

    private static final Pattern DONE = Pattern.compile(
            "^\\{\"host\":\"((?:[^\"\\\\]|\\\\.)*)\",\"port\":(\\d+),"
            + "\"user\":\"((?:[^\"\\\\]|\\\\.)*)\",\"status\":\"ok\".*}$");

    private ResumeFile() {
    }

    /** The hosts the file records as ok; an absent file records none. */
    static Set<Host> okHosts(Path file) {
        Set<Host> done = new HashSet<>();
        if (!Files.exists(file)) {
            return done;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read resume file " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            Matcher matcher = DONE.matcher(line.strip());
            if (matcher.matches()) {
                done.add(new Host(unescape(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                        unescape(matcher.group(3))));
            }
        }
        return done;
    }

    private static String unescape(String text) {
        return text.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
