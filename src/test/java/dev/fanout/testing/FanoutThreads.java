package dev.fanout.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The threads of this JVM that fanout's clients start, virtual ones included: fanout's own ({@code fanout-*}: hosts,
 * workers, timers, lookups, the simulated fleet's), the MINA clients' ({@code sshd-SshClient[...]}) and JSch's
 * session readers ({@code Connect thread ...}). The test servers' threads ({@code sshd-SshServer[...]}) are not
 * among them. Virtual threads are listed by no Java API but the JVM's thread dump, which is read here.
 */
public final class FanoutThreads {

    private static final List<String> PREFIXES = List.of("fanout-", "sshd-SshClient[", "Connect thread ");
    private static final Pattern TID = Pattern.compile("^\\s*\"tid\": \"(\\d+)\",?$");
    private static final Pattern NAME = Pattern.compile("^\\s*\"name\": \"(.*)\",?$");
    private static final HotSpotDiagnosticMXBean DIAGNOSTICS = ManagementFactory
            .getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private FanoutThreads() {
    }

    /** The fanout threads alive now: each thread's name by its id. */
    public static Map<Long, String> alive() {
        Map<Long, String> threads = new TreeMap<>();
        long tid = -1;
        for (String line : dump()) {
            Matcher id = TID.matcher(line);
            Matcher name = NAME.matcher(line);
            if (id.matches()) {
                tid = Long.parseLong(id.group(1));
            } else if (name.matches() && isFanouts(unescape(name.group(1)))) {
                threads.put(tid, unescape(name.group(1)));
            }
        }
        return threads;
    }

    private static boolean isFanouts(String name) {
        return PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The JVM's thread dump in JSON: one key per line, {@code "tid"} before {@code "name"} in each thread. */
    private static List<String> dump() {
        try {
            Path directory = Files.createTempDirectory("fanout-threads");
            Path file = directory.resolve("threads.json");
            try {
                DIAGNOSTICS.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return Files.readAllLines(file);
            } finally {
                Files.deleteIfExists(file);
                Files.delete(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON string's text: the escapes a thread name may hold. */
    private static String unescape(String json) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c != '\\' || i + 1 == json.length()) {
                text.append(c);
                continue;
            }
            char escaped = json.charAt(++i);
            switch (escaped) {
                case 'u' -> {
                    text.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'n' -> text.append('\n');
                case 't' -> text.append('\t');
                case 'r' -> text.append('\r');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                default -> text.append(escaped);
            }
        }
        return text.toString();
    }
}
