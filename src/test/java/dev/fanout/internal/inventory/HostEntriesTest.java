package dev.fanout.internal.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hosts written as host-list entries, one by one and folded, read back through {@link Inventory} (as {@code -i} and
 * {@code -H} read them, with the same default user and port) to exactly the same hosts.
 */
class HostEntriesTest {

    private static final String USER = "deploy";
    private static final int PORT = 22;

    @TempDir
    Path dir;

    private final Inventory inventory = new Inventory(USER, PORT, HostPatterns.DEFAULT_MAX_EXPANSION);
    private final HostEntries entries = new HostEntries(USER, PORT);

    /** The hosts of the lines as a host list file holds them (or, faster, as -H reads each line). */
    private List<Host> readBack(List<String> lines, boolean asFile) throws IOException {
        if (asFile) {
            return inventory.read(Files.write(dir.resolve("hosts.txt"), lines)).hosts();
        }
        List<Host> hosts = new ArrayList<>();
        lines.forEach(line -> hosts.addAll(inventory.parseEntries(line, "-H")));
        return hosts;
    }

    @Test
    void writesEachHostAsShortAsItReadsBack() {
        assertEquals(List.of("web01.dc1", "root@web01.dc1", "web01.dc1:2222", "root@10.0.0.7:2222", "::1",
                "[::1]:2222", "admin@[fe80::1%eth0]:2200", "u@2001:db8::7"),
                List.of(Host.of(USER, "web01.dc1"), Host.of("root", "web01.dc1"), new Host("web01.dc1", 2222, USER),
                        new Host("10.0.0.7", 2222, "root"), Host.of(USER, "::1"), new Host("::1", 2222, USER),
                        new Host("fe80::1%eth0", 2200, "admin"), Host.of("u", "2001:db8::7"))
                        .stream().map(entries::entry).toList());
    }

    @Test
    void foldsTheHostsOfEachUserAndPort() {
        List<Host> hosts = new ArrayList<>();
        for (String name : HostPatterns.expand("web[01-07,09].dc1", 100)) {
            hosts.add(Host.of(USER, name));
        }
        hosts.add(new Host("10.0.0.1", 2222, "root"));
        hosts.add(new Host("10.0.0.2", 2222, "root"));
        hosts.add(new Host("::1", 2222, USER));
        hosts.add(new Host("::2", 2222, USER));
        hosts.add(Host.of(USER, "2001:db8::1"));
        hosts.add(Host.of(USER, "2001:db8::2"));
        assertEquals(List.of("web[01-07,09].dc1", "2001:db8::[1-2]", "root@10.0.0.[1-2]:2222", "[::1]:2222",
                "[::2]:2222"), entries.folded(hosts));
    }

    /**
     * The property: for random sets of hosts (names with several numbers, padded or not, IPv4 and IPv6 addresses,
     * zone ids, several users and ports), the folded entries read back to exactly the set, each host once; and the
     * entries one by one read back to the hosts in order.
     */
    @Test
    void foldedEntriesReadBackToExactlyTheHosts() throws IOException {
        for (int seed = 0; seed < 3_000; seed++) {
            Random random = new Random(seed);
            Set<Host> hosts = new LinkedHashSet<>();
            int count = 1 + random.nextInt(random.nextInt(10) == 0 ? 300 : 30);
            while (hosts.size() < count) {
                hosts.add(randomHost(random));
            }
            List<Host> shuffled = new ArrayList<>(hosts);
            Collections.shuffle(shuffled, random);
            List<String> folded = entries.folded(shuffled);
            boolean asFile = seed % 20 == 0;
            List<Host> expanded = readBack(folded, asFile);
            assertEquals(hosts.size(), expanded.size(), "seed " + seed + ": each host once: " + folded);
            assertEquals(hosts, new HashSet<>(expanded), "seed " + seed + ": " + folded);
            assertEquals(expanded, inventory.parseEntries(String.join(",", folded), "-H"), "seed " + seed);
            assertEquals(shuffled, readBack(shuffled.stream().map(entries::entry).toList(), asFile), "seed " + seed);
        }
    }

    private static Host randomHost(Random random) {
        String user = switch (random.nextInt(5)) {
            case 0 -> "root";
            case 1 -> "u" + random.nextInt(3);
            default -> USER;
        };
        int port = random.nextInt(4) == 0 ? 2200 + random.nextInt(3) : PORT;
        String address = switch (random.nextInt(8)) {
            case 0 -> "10." + random.nextInt(2) + "." + random.nextInt(3) + "." + (1 + random.nextInt(20));
            case 1 -> "2001:db8::" + Integer.toHexString(random.nextInt(40));
            case 2 -> "fe80::" + random.nextInt(12) + "%eth" + random.nextInt(2);
            case 3 -> "rack" + number(random) + "-node" + number(random) + ".dc" + random.nextInt(3);
            case 4 -> "db";
            default -> "web" + number(random) + (random.nextBoolean() ? ".dc1" : "");
        };
        return new Host(address, port, user);
    }

    /** Mostly 0..12, some around 100, padded now and then: web1, web01 and web001 are three hosts. */
    private static String number(Random random) {
        long value = random.nextInt(5) == 0 ? 95 + random.nextInt(10) : random.nextInt(13);
        return HostPatterns.format(value, random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 0);
    }
}
