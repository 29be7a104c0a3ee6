package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout hosts}, and the limit and exclusions every host command takes: the hosts a run would contact, in
 * order, folded on request, with no host contacted and no credentials needed; a limit or exclusion naming no host is
 * exit 2 naming it.
 */
class HostsCommandTest {

    private static final String PASSWORD = "hosts-command-test";

    @TempDir
    Path dir;

    private ServerSocket listener;
    private final AtomicInteger contacted = new AtomicInteger();
    private String target;

    /** A port that counts connections: {@code fanout hosts} must never reach it. */
    @BeforeEach
    void listen() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        target = "127.0.0.1:" + listener.getLocalPort();
        Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    listener.accept().close();
                    contacted.incrementAndGet();
                }
            } catch (IOException closed) {
                // test over
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
        assertEquals(0, contacted.get(), "no host was contacted");
    }

    /** {@code fanout hosts -u deploy ARGS}. */
    private static CliRun hosts(String... args) {
        List<String> all = new ArrayList<>(List.of("hosts", "-u", "deploy"));
        all.addAll(List.of(args));
        return CliRun.of(all.toArray(String[]::new));
    }

    private static String ok(CliRun run) {
        assertEquals(0, run.exitCode(), run.err());
        return run.out();
    }

    private void assertRefused(String expected, String... args) {
        CliRun run = hosts(args);
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("fanout hosts: " + expected + "\n", run.err());
        assertEquals("", run.out());
    }

    private Path inventory() throws IOException {
        return Files.writeString(dir.resolve("inventory.yaml"), """
                defaults:
                  credentials: ops
                hosts:
                  - db[1-2]
                  - root@%s
                groups:
                  web:
                    hosts: ["web[01-09]", web10]
                  prod:
                    hosts: ["web[03-06]", db1]
                  bastion:
                    user: admin
                    port: 2200
                    hosts: [gw1, web01]
                credentials:
                  ops:
                    password-env: FANOUT_HOSTS_TEST_UNSET_VARIABLE
                """.formatted(target));
    }

    @Test
    void printsTheHostsARunWouldContactInOrderWithoutCredentialsNorContact() throws IOException {
        CliRun run = hosts("-i", inventory().toString(), "-H", "web02,root@" + target + ",[::1]:2222,fe80::1%eth0");
        assertEquals(String.join("\n", "db1", "db2", "root@" + target, "web01", "web02", "web03", "web04", "web05",
                "web06", "web07", "web08", "web09", "web10", "admin@gw1:2200", "admin@web01:2200", "[::1]:2222",
                "fe80::1%eth0", ""), ok(run));
        assertEquals("fanout hosts: warning: 2 duplicate hosts removed\n", run.err(), "-H's, not the groups'");
        assertEquals(target + "\n", ok(CliRun.of("hosts", "-u", "root", "-H", "root@" + target)),
                "the user of -u is left out");
        assertRefused("-H 'web..dc1': invalid host address 'web..dc1': empty label (a leading, trailing or doubled "
                + "'.')", "-H", "web..dc1");
        assertRefused("no hosts: give -i FILE or -H HOSTS");
    }

    @Test
    void foldsThemIntoPatternsThatReadBackToTheSameHosts() throws IOException {
        assertEquals("web[01-07,09].dc1\n", ok(hosts("-H", "web[01-07].dc1,web09.dc1", "--fold")));
        String folded = ok(hosts("-i", inventory().toString(), "--fold"));
        assertEquals(String.join("\n", "db[1-2]", "web[01-10]", "root@" + target, "admin@gw1:2200",
                "admin@web01:2200", ""), folded);
        Path list = Files.writeString(dir.resolve("folded.txt"), folded);
        assertEquals(ok(hosts("-i", inventory().toString())).lines().sorted().toList(),
                ok(hosts("-i", list.toString())).lines().sorted().toList());
    }

    @Test
    void limitsByGroupsAndPatternsAndExcludesAsPdshDoes() throws IOException {
        String inventory = inventory().toString();
        assertEquals("web03\nweb04\nweb05\nweb06\n", ok(hosts("-i", inventory, "--limit", "web:&prod")));
        assertEquals("web03\nweb05\nweb06\n", ok(hosts("-i", inventory, "--limit", "web[01-09]:&prod:!web04")));
        assertEquals("web01\nweb02\nadmin@gw1:2200\n", ok(hosts("-i", inventory, "--limit", "web[01-02],*:2200",
                "-x", "web01:2200")));
        Path excluded = Files.writeString(dir.resolve("excluded.txt"), "# done already\nweb[01-08]\n\nprod  # all\n");
        assertEquals("db2\nroot@" + target + "\nweb09\nweb10\nadmin@gw1:2200\n", ok(hosts("-i", inventory,
                "--exclude-file",
                excluded.toString())));
        Path failed = Files.writeString(dir.resolve("failed.yaml"), "hosts:\n  - db1\n  - root@" + target + "\n");
        assertEquals("db2\n", ok(hosts("-i", inventory, "--limit", "ungrouped", "--exclude-file",
                failed.toString())));
    }

    @Test
    void shardsSplitTheChosenHostsBetweenThemAfterTheLimit() throws IOException {
        String inventory = inventory().toString();
        List<String> all = ok(hosts("-i", inventory, "-x", "db*")).lines().toList();
        List<String> joined = new ArrayList<>();
        for (int index = 0; index < 3; index++) {
            List<String> share = ok(hosts("-i", inventory, "-x", "db*", "--shard", index + "/3")).lines().toList();
            assertTrue(share.size() == all.size() / 3 || share.size() == all.size() / 3 + 1, share.toString());
            assertEquals(all.stream().filter(share::contains).toList(), share, "a share keeps the run's order");
            joined.addAll(share);
        }
        assertEquals(all.size(), joined.size(), joined.toString());
        assertEquals(new HashSet<>(all), new HashSet<>(joined));
        assertRefused("shard 3/3: want K/N with N >= 1 and 0 <= K < N (shares count from 0, like a Kubernetes Job's "
                + "completion index)", "-i", inventory, "--shard", "3/3");
    }

    @Test
    void refusesALimitOrExclusionThatNamesNoHostUnlessAllowed() throws IOException {
        String inventory = inventory().toString();
        assertRefused("--limit 'web:&prod:!web11': '!web11' matches no host of 15 and is no group (groups: bastion, "
                + "prod, web) (--allow-empty allows that)", "-i", inventory, "--limit", "web:&prod:!web11");
        assertRefused(
                "-x 'web1': 'web1' matches no host of 15 and is no group (groups: bastion, prod, web) (--allow-empty "
                        + "allows that)",
                "-i", inventory, "-x", "web1");
        Path excluded = Files.writeString(dir.resolve("excluded.txt"), "web01\nweb1[1-2]\n");
        assertRefused(excluded + ":2: 'web1[1-2]' matches no host of 15 and is no group (groups: bastion, prod, web) "
                + "(--allow-empty allows that)", "-i", inventory, "--exclude-file", excluded.toString());
        assertRefused("--limit 'db1:&web' leaves no host of 15 (--allow-empty allows that)", "-i", inventory,
                "--limit", "db1:&web");
        assertRefused("-x and --exclude-file leave no host of 2 chosen by --limit (--allow-empty allows that)", "-i",
                inventory, "--limit", "db[1-2]", "-x", "db*");
        assertEquals("", ok(hosts("-i", inventory, "--limit", "db1:&web", "-x", "web11", "--allow-empty")));
        assertRefused("--exclude-file " + dir.resolve("none.txt") + ": cannot read it: no such file", "-i", inventory,
                "--exclude-file", dir.resolve("none.txt").toString());
    }

    /** run, copy and fetch take the same options and contact only the hosts chosen. */
    @Test
    void runCopyAndFetchContactOnlyTheChosenHosts() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(6, "root", Secret.of(PASSWORD)))) {
            Path inventory = dir.resolve("fleet.txt");
            fleet.writeInventory(inventory);
            Path knownHosts = dir.resolve("known_hosts");
            fleet.writeKnownHosts(knownHosts);
            Path password = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
            Path excluded = Files.writeString(dir.resolve("excluded.txt"), "127.101.0.6:" + fleet.port() + "\n");
            List<String> common = List.of("-i", inventory.toString(), "--password-file", password.toString(),
                    "--known-hosts", knownHosts.toString(), "--no-progress", "--limit", "!127.101.0.1", "-x",
                    "127.101.0.[2-3]", "--exclude-file", excluded.toString());
            assertEquals("root@127.101.0.[4-5]:" + fleet.port() + "\n", ok(hosts(foldedHosts(common))));

            CliRun run = CliRun.of(command("run", common, "-c", "hostname"));
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(List.of("127.101.0.4:" + fleet.port() + ": sim-00003", "127.101.0.5:" + fleet.port()
                    + ": sim-00004"), run.out().lines().sorted().toList());
            Path upload = Files.writeString(dir.resolve("agent.conf"), "port=8080\n");
            CliRun copy = CliRun.of(command("copy", common, upload.toString(), "/opt/agent"));
            assertEquals(0, copy.exitCode(), copy.err());
            assertTrue(copy.err().contains("2 hosts in"), copy.err());
            Path fetched = dir.resolve("fetched");
            CliRun fetch = CliRun.of(command("fetch", common, "/opt/agent/agent.conf", fetched.toString()));
            assertEquals(0, fetch.exitCode(), fetch.err());
            try (Stream<Path> files = Files.list(fetched)) {
                assertEquals(List.of("127.101.0.4:" + fleet.port(), "127.101.0.5:" + fleet.port()),
                        files.map(file -> file.getFileName().toString()).sorted().toList());
            }
        }
    }

    /** The arguments of {@code fanout hosts --fold} from those of run: no credentials, known_hosts nor progress. */
    private static String[] foldedHosts(List<String> common) {
        List<String> args = new ArrayList<>(common);
        args.removeAll(List.of("--password-file", "--known-hosts", "--no-progress"));
        args.removeIf(arg -> arg.endsWith("password") || arg.endsWith("known_hosts"));
        args.add("--fold");
        return args.toArray(String[]::new);
    }

    private static String[] command(String name, List<String> common, String... extra) {
        List<String> args = new ArrayList<>(List.of(name));
        args.addAll(common);
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }
}
