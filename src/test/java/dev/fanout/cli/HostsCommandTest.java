package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fanout hosts}: the hosts a run would contact, in order, folded on request, with no host contacted and no
 * credentials needed.
 */
class HostsCommandTest {

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
}
