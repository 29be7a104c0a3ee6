import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.PoolSettings;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Heap per pooled idle session: one run of {@code true} on every host of INVENTORY leaves one idle session per host
 * in the pool; the heap after a full collection then, less the heap after one before the run, per host. Run by
 * config/bench/pooled-sessions.sh. Arguments: INVENTORY KNOWN_HOSTS DRIVER [JSON_FILE], the last for
 * {@code fanout gate --heap}; the password in FLEET_PW.
 */
public final class PooledSessions {
    public static void main(String[] args) throws Exception {
        List<Host> hosts = Files.readAllLines(Path.of(args[0])).stream().filter(line -> !line.isBlank())
                .map(line -> Host.parse(line.strip(), "root")).toList();
        try (Fanout fanout = Fanout.builder().driver(args[2])
                .credentials(Credentials.password(Secret.fromEnv("FLEET_PW")))
                .hostKeyPolicy(HostKeyPolicy.strict(Path.of(args[1])))
                // Limits that only guard against a hang: a loaded CI machine can take more than the default 10 s
                // for hundreds of handshakes at once.
                .timeouts(Timeouts.DEFAULTS.withConnect(Duration.ofMinutes(2)).withAuth(Duration.ofMinutes(2)))
                .sessionPool(new PoolSettings(1, Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(1)))
                .build()) {
            long before = heapAfterGc();
            RunReport report = fanout.run(hosts, Task.of("true"), RunOptions.defaults());
            long after = heapAfterGc();
            System.out.printf("%s: %s of %d hosts; pool %s%n", args[2], report.summary(), hosts.size(),
                    fanout.poolStats());
            double perSession = (after - before) / 1024.0 / hosts.size();
            System.out.printf("heap after GC: before the run %d KB, with the pooled sessions %d KB: %.1f KB per "
                    + "pooled session%n", before / 1024, after / 1024, perSession);
            if (report.failed().isEmpty() && args.length > 3) {
                Files.writeString(Path.of(args[3]),
                        String.format(Locale.ROOT, "{\"pooled_session_heap_kb\": %.2f}%n", perSession));
            }
        }
    }

    private static long heapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
