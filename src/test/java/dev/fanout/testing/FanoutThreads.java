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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The threads of this JVM that fanout's clients start, virtual ones included: fanout's own ({@code fanout-*}: hosts,
 * workers, timers, lookups, the simulated fleet's), the MINA clients' ({@code sshd-SshClient[...]}) and JSch's
 * session readers ({@code Connect thread ...}). The test servers' threads ({@code sshd-SshServer[...]}) are not
 * among them. Virtual threads are listed by no Java API but the JVM's thread dump, which is read here.
 */
public final class FanoutThreads {

    private static final List<String> PREFIXES = List.of("fanout-", "sshd-SshClient[", "Connect thread ");
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final HotSpotDiagnosticMXBean DIAGNOSTICS = ManagementFactory
            .getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    private FanoutThreads() {
    }

    /** The fanout threads alive now: each thread's name by its id. */
    public static Map<Long, String> alive() {
        Map<Long, String> threads = new TreeMap<>();
        for (JsonNode container : dump().at("/threadDump/threadContainers")) {
            for (JsonNode thread : container.path("threads")) {
                String name = thread.path("name").asString();
                if (isFanouts(name)) {
                    threads.put(Long.parseLong(thread.path("tid").asString()), name);
                }
            }
        }
        return threads;
    }

    private static boolean isFanouts(String name) {
        return PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** The JVM's thread dump in JSON: containers (the root, executors, ...), each with its threads. */
    private static JsonNode dump() {
        try {
            Path directory = Files.createTempDirectory("fanout-threads");
            Path file = directory.resolve("threads.json");
            try {
                DIAGNOSTICS.dumpThreads(file.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                return MAPPER.readTree(Files.readString(file));
            } finally {
                Files.deleteIfExists(file);
                Files.delete(directory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
