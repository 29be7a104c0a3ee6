package dev.fanout.cli;

import dev.fanout.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hosts already done according to a JSON Lines file written by {@code --out}: those with status ok. A line that
 * is not a whole result (one cut short when a run was killed, even inside a UTF-8 character) is skipped, its host
 * simply runs again, and {@link #warning()} names it by file:line.
 *
 * @param okHosts the hosts recorded as ok
 * @param warning what was skipped, naming the file and line, if any line was
 */
record ResumeFile(Set<Host> okHosts, Optional<String> warning) {

    /**
     * A whole result line as {@link Json#host} writes it: host, port, user and status first, {@code attempts} last.
     * {@code ,"attempts":} cannot occur inside a JSON string, whose quotes are escaped, so a cut line never matches.
     */
    private static final Pattern RESULT = Pattern.compile(
            "^\\{\"host\":\"((?:[^\"\\\\]|\\\\.)*)\",\"port\":(\\d+),"
                    + "\"user\":\"((?:[^\"\\\\]|\\\\.)*)\",\"status\":\"([a-z_]+)\",.*,\"attempts\":\\d+}$");

    /**
     * Reads {@code file}; an absent file records no host.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read
     */
    static ResumeFile read(Path file) {
        Set<Host> done = new HashSet<>();
        if (!Files.exists(file)) {
            return new ResumeFile(done, Optional.empty());
        }
        List<Integer> skipped = new ArrayList<>();
        // A reader with a Charset replaces malformed input: a line cut inside a character still reads.
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Matcher matcher = RESULT.matcher(line);
                if (!matcher.matches()) {
                    skipped.add(number);
                } else if (matcher.group(4).equals("ok")) {
                    done.add(new Host(unescape(matcher.group(1)), Integer.parseInt(matcher.group(2)),
                            unescape(matcher.group(3))));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read resume file " + file + ": " + e.getMessage(), e);
        }
        return new ResumeFile(done, skipped.isEmpty() ? Optional.empty() : Optional.of(warning(file, skipped)));
    }

    private static String warning(Path file, List<Integer> lines) {
        if (lines.size() == 1) {
            return file + ":" + lines.get(0) + ": not a whole result line (a run killed while writing it?); skipped, "
                    + "its host runs again";
        }
        return file + ":" + lines.get(0) + " and " + (lines.size() - 1) + " more lines: not whole result lines; "
                + "skipped, their hosts run again";
    }

    private static String unescape(String text) {
        return text.replace("\\\"", "\"").replace("\\\\", "\\");
    }
}
