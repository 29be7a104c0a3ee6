package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testing.ContractServers;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The command line's bastions: {@code -J}, an inventory's {@code via} (defaults, group, host), and {@code -J} naming
 * an alias of the ssh config, against a real bastion sshd ({@code LogLevel DEBUG1}, whose log counts logins and
 * {@code direct-tcpip} channels) and a target sshd on 127.0.0.2 to 127.0.0.4.
 */
class BastionCommandTest {

    private static final String LOGIN = "Accepted publickey for " + TestServer.KEY_USER + " ";
    private static final String CHANNEL = "server_input_channel_open: ctype direct-tcpip";

    private static Path directory;
    private static OpenSshServer bastion;
    private static OpenSshServer target;
    private static Path key;
    private static Path knownHosts;

    @BeforeAll
    static void startServers() throws Exception {
        directory = ContractServers.scratch();
        bastion = OpenSshServer.start(Files.createDirectories(directory.resolve("bastion")), ContractServers.keys(),
                List.of("127.0.0.1"), List.of("LogLevel DEBUG1", "AllowTcpForwarding yes"));
        target = OpenSshServer.start(Files.createDirectories(directory.resolve("target")), ContractServers.keys(),
                List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), List.of());
        key = TestKeys.generate(Files.createDirectories(directory.resolve("key")), TestKeys.Format.OPENSSH_ED25519,
                "");
        bastion.authorize(Path.of(key + ".pub"));
        target.authorize(Path.of(key + ".pub"));
        List<String> known = new ArrayList<>();
        known.add("[127.0.0.1]:" + bastion.port() + " " + bastion.hostKeyLine());
        for (String address : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
            known.add("[" + address + "]:" + target.port() + " " + target.hostKeyLine());
        }
        knownHosts = Files.write(directory.resolve("known_hosts"), known);
    }

    @AfterAll
    static void stopServers() {
        if (target != null) {
            target.close();
        }
        if (bastion != null) {
            bastion.close();
        }
    }

    private static int logLines() {
        return (int) bastion.log().lines().count();
    }

    private static long logged(int from, String text) {
        return bastion.log().lines().skip(from).filter(line -> line.contains(text)).count();
    }

    private static String bastionSpec() {
        return TestServer.KEY_USER + "@127.0.0.1:" + bastion.port();
    }

    private static List<String> args(String... more) {
        List<String> args = new ArrayList<>(List.of("run", "--identity", key.toString(), "--known-hosts",
                knownHosts.toString(), "--no-progress", "-c", "echo $SSH_CONNECTION"));
        args.addAll(List.of(more));
        return args;
    }

    /** {@code -J user@host:port}: the three hosts through one login to the bastion. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void reachesHostsThroughTheBastionOfDashJ(TestDriver driver) {
        int from = logLines();
        CliRun run = CliRun.of(args("--driver", driver.id(), "--no-ssh-config", "-H", "127.0.0.[2-4]", "-u",
                TestServer.KEY_USER, "-p", String.valueOf(target.port()), "-J", bastionSpec()).toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        for (String address : List.of("127.0.0.2", "127.0.0.3", "127.0.0.4")) {
            assertTrue(run.out().contains(" " + address + " " + target.port()), run.out());
        }
        assertEquals(1, logged(from, LOGIN), bastion.log());
        assertEquals(3, logged(from, CHANNEL), bastion.log());
    }

    /** {@code via} at every level: the defaults', a group's (as a list), and a host's own {@code none}. */
    @Test
    void takesTheBastionsOfTheInventory() throws Exception {
        Path inventory = Files.write(directory.resolve("via.yaml"), List.of(
                "defaults:",
                "  user: " + TestServer.KEY_USER,
                "  port: " + target.port(),
                "  via: " + bastionSpec(),
                "hosts:",
                "  - 127.0.0.2",
                "  - host: 127.0.0.3",
                "    via: none",
                "groups:",
                "  behind:",
                "    via: [\"" + bastionSpec() + "\"]",
                "    hosts: [127.0.0.4]"));
        int from = logLines();
        CliRun run = CliRun.of(args("--no-ssh-config", "-i", inventory.toString()).toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(1, logged(from, LOGIN), bastion.log());
        assertEquals(2, logged(from, CHANNEL), bastion.log()); // 127.0.0.3 directly
        Path bad = Files.write(directory.resolve("bad-via.yaml"), List.of(
                "hosts:",
                "  - host: 127.0.0.2",
                "    via: bastion:notaport"));
        CliRun refused = CliRun.of(args("--no-ssh-config", "-i", bad.toString()).toArray(String[]::new));
        assertEquals(2, refused.exitCode(), refused.err());
        assertTrue(refused.err().contains(bad + ": hosts[0].via: invalid port 'notaport'"), refused.err());
    }

    /** {@code -J} names a bastion as ssh does: an alias of the ssh config, with its HostName, Port and User. */
    @Test
    void readsTheBastionOfDashJInTheSshConfig() throws Exception {
        Path config = Files.write(directory.resolve("config"), List.of(
                "Host jump",
                "    HostName 127.0.0.1",
                "    Port " + bastion.port(),
                "    User " + TestServer.KEY_USER));
        int from = logLines();
        CliRun run = CliRun.of(args("-F", config.toString(), "-H", "127.0.0.2", "-u", TestServer.KEY_USER, "-p",
                String.valueOf(target.port()), "-J", "jump").toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        assertEquals(1, logged(from, LOGIN), bastion.log());
        assertEquals(1, logged(from, CHANNEL), bastion.log());
    }
}
