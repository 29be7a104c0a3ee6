package dev.fanout.internal.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --shard K/N}: every host in exactly one share, shares as even as can be, the order of the inventory moot. */
class ShardTest {

    private static List<Host> hosts(int count) {
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hosts.add(new Host("web" + i + ".dc" + (i % 3), 22 + i % 2, "deploy"));
        }
        return hosts;
    }

    @Test
    void putsEveryHostInExactlyOneShareOfSizesDifferingByAtMostOne() {
        for (int size : new int[] {0, 1, 7, 100, 1_001}) {
            List<Host> hosts = hosts(size);
            for (int count = 1; count <= 9; count++) {
                List<Host> seen = new ArrayList<>();
                int smallest = Integer.MAX_VALUE;
                int largest = 0;
                for (int index = 0; index < count; index++) {
                    List<Host> share = new Shard(index, count).of(hosts);
                    seen.addAll(share);
                    smallest = Math.min(smallest, share.size());
                    largest = Math.max(largest, share.size());
                }
                String what = size + " hosts in " + count + " shares";
                assertEquals(size, seen.size(), what + ": each host once");
                assertEquals(new HashSet<>(hosts), new HashSet<>(seen), what + ": every host");
                assertTrue(largest - smallest <= 1, what + ": sizes " + smallest + ".." + largest);
            }
        }
    }

    @Test
    void givesTheSameSharesWhateverTheOrderAndKeepsTheRunsOrderInEach() {
        List<Host> hosts = hosts(500);
        List<Host> shuffled = new ArrayList<>(hosts);
        Collections.shuffle(shuffled, new Random(11));
        for (int index = 0; index < 4; index++) {
            Shard shard = new Shard(index, 4);
            List<Host> share = shard.of(hosts);
            List<Host> fromShuffled = shard.of(shuffled);
            assertEquals(new HashSet<>(share), new HashSet<>(fromShuffled), "share " + shard);
            assertEquals(shuffled.stream().filter(new HashSet<>(share)::contains).toList(), fromShuffled,
                    "share " + shard + " in the order given");
        }
    }

    @Test
    void mixesHostsOfOneNameAcrossShares() {
        // Hosts listed by data centre must not land in one share per data centre.
        List<Host> hosts = hosts(300);
        for (int index = 0; index < 3; index++) {
            Set<String> centres = new HashSet<>();
            new Shard(index, 3).of(hosts).forEach(host -> centres.add(host.address().replaceAll(".*\\.", "")));
            assertEquals(Set.of("dc0", "dc1", "dc2"), centres, "share " + index + "/3");
        }
    }

    @Test
    void readsKOverNAndRefusesAnythingElseSayingWhatItWants() {
        assertEquals(new Shard(0, 4), Shard.parse("0/4"));
        assertEquals(new Shard(3, 4), Shard.parse(" 3/4 "));
        for (String bad : new String[] {"4/4", "1/0", "-1/4", "1", "a/b", "1/2/3", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shard.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("shard "), e.getMessage());
            assertTrue(e.getMessage().contains("K/N"), e.getMessage());
        }
    }
}
