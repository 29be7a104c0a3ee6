package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.SshConfig;
import dev.fanout.Task;
import dev.fanout.error.BastionFailedException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.HostKeyChangedException;
import dev.fanout.error.Phase;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Hosts behind bastions, against real OpenSSH: a bastion sshd and a relay sshd on 127.0.0.1 ({@code LogLevel
 * DEBUG1}, {@code AllowTcpForwarding yes}), and 20 target addresses, 127.0.0.2 to 127.0.0.21, on two target sshds
 * (sshd listens on at most 16 addresses). The bastions' logs count the logins and the {@code direct-tcpip} channels.
 */
class BastionContractTest {

    private static final List<String> TARGET_ADDRESSES = IntStream.rangeClosed(2, 21)
            .mapToObj(last -> "127.0.0." + last).toList();
    private static final String LOGIN = "Accepted publickey for " + TestServer.KEY_USER + " ";
    private static final String CHANNEL = "server_input_channel_open: ctype direct-tcpip";

    private static OpenSshServer bastion;
    private static OpenSshServer relay;
    private static final List<OpenSshServer> TARGET_SERVERS = new ArrayList<>();
    private static List<Host> targets;
    private static Path knownHosts;
    private static Credentials key;

    @BeforeAll
    static void startServers() throws Exception {
        Path directory = ContractServers.scratch();
        List<String> bastionConfig = List.of("LogLevel DEBUG1", "AllowTcpForwarding yes");
        bastion = OpenSshServer.start(Files.createDirectories(directory.resolve("bastion")), ContractServers.keys(),
                List.of("127.0.0.1"), bastionConfig);
        relay = OpenSshServer.start(Files.createDirectories(directory.resolve("relay")), ContractServers.keys(),
                List.of("127.0.0.1"), bastionConfig);
        List<Host> hosts = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (int half = 0; half < 2; half++) {
            List<String> addresses = TARGET_ADDRESSES.subList(half * 10, half * 10 + 10);
            OpenSshServer target = OpenSshServer.start(Files.createDirectories(directory.resolve("target" + half)),
                    ContractServers.keys(), addresses, List.of());
            TARGET_SERVERS.add(target);
            for (String address : addresses) {
                hosts.add(new Host(address, target.port(), TestServer.KEY_USER));
                known.add("[" + address + "]:" + target.port() + " " + target.hostKeyLine());
            }
        }
        targets = List.copyOf(hosts);
        for (OpenSshServer server : List.of(bastion, relay)) {
            known.add(server.host(TestServer.KEY_USER).knownHostsName() + " " + server.hostKeyLine());
        }
        knownHosts = Files.write(directory.resolve("known_hosts"), known);
        key = Credentials.of(AuthMethod.privateKey(TestKeys.generate(ContractServers.keys(), TestKeys.Type.ED25519),
                Secret.of(TestKeys.PASSPHRASE)));
    }

    @AfterAll
    static void stopServers() {
        TARGET_SERVERS.forEach(OpenSshServer::close);
        if (relay != null) {
            relay.close();
        }
        if (bastion != null) {
            bastion.close();
        }
    }

    /** The lines a server logged from {@code from} on that contain {@code text}. */
    private static long count(OpenSshServer server, int from, String text) {
        return server.log().lines().skip(from).filter(line -> line.contains(text)).count();
    }

    private static int logLines(OpenSshServer server) {
        return (int) server.log().lines().count();
    }

    private static Fanout.Builder client(Path knownHostsFile, List<Host> bastions) {
        return Fanout.builder().credentials(key).hostKeyPolicy(HostKeyPolicy.strict(knownHostsFile))
                .jumpHosts(bastions).timeouts(ContractTarget.TIMEOUTS);
    }

    /** {@code $SSH_CONNECTION} on each target names the target's own address: the session reached that host. */
    private static void assertEachReachedItsOwnAddress(RunReport report) {
        for (HostResult result : report.results()) {
            assertEquals(HostStatus.OK, result.status(), result.toString());
            String connection = result.steps().get(0).output();
            assertTrue(connection.contains(" " + result.host().address() + " " + result.host().port()),
                    result.host() + ": " + connection);
        }
    }

    /** 20 hosts through one bastion: one login there carries the 20 direct-tcpip channels. */
    @ContractTest(servers = {})
    void carriesTwentyHostsOverOneBastionLogin(ContractTarget target) {
        int from = logLines(bastion);
        Fanout fanout = target.fanout(client(knownHosts, List.of(bastion.host(TestServer.KEY_USER))));
        RunReport report = fanout.run(targets, Task.of("echo $SSH_CONNECTION"), RunOptions.defaults());
        assertEachReachedItsOwnAddress(report);
        fanout.close();
        assertEquals(1, count(bastion, from, LOGIN), bastion.log());
        assertEquals(20, count(bastion, from, CHANNEL), bastion.log());
    }

    /**
     * ssh's way: ProxyJump in the config names the bastion by its alias, looked up in the config in turn (HostName,
     * Port, User); the targets are aliases too, their host keys checked under their HostName.
     */
    @ContractTest(servers = {})
    void followsProxyJumpFromTheSshConfig(ContractTarget target) throws Exception {
        Path file = Files.write(ContractServers.scratch().resolve("config"), List.of(
                "Host jump",
                "    HostName 127.0.0.1",
                "    Port " + bastion.port(),
                "Host t-*",
                "    ProxyJump jump",
                "Host t-2",
                "    HostName 127.0.0.2",
                "    Port " + TARGET_SERVERS.get(0).port(),
                "Host t-12",
                "    HostName 127.0.0.12",
                "    Port " + TARGET_SERVERS.get(1).port(),
                "Host *",
                "    User " + TestServer.KEY_USER,
                "    UserKnownHostsFile " + knownHosts));
        SshConfig config = SshConfig.file(file);
        int from = logLines(bastion);
        Fanout fanout = target.fanout(Fanout.builder().credentials(key).sshConfig(config)
                .timeouts(ContractTarget.TIMEOUTS));
        RunReport report = fanout.run(List.of(config.host("t-2", null), config.host("t-12", null)),
                Task.of("echo $SSH_CONNECTION"), RunOptions.defaults());
        List<String> connections = report.results().stream().map(result -> result.steps().get(0).output().strip())
                .toList();
        assertTrue(connections.get(0).endsWith(" 127.0.0.2 " + TARGET_SERVERS.get(0).port())
                && connections.get(1).endsWith(" 127.0.0.12 " + TARGET_SERVERS.get(1).port()), connections.toString());
        fanout.close();
        assertEquals(1, count(bastion, from, LOGIN), bastion.log());
        assertEquals(2, count(bastion, from, CHANNEL), bastion.log());
    }

    /** The same in ASYNC mode: hosts wait for their place on the bastion, and connect through it, with no thread. */
    @ContractTest(drivers = TestDriver.MINA, servers = {})
    void carriesHostsOverABastionInAsyncMode(ContractTarget target) {
        int from = logLines(bastion);
        Fanout fanout = target.fanout(client(knownHosts, List.of(bastion.host(TestServer.KEY_USER))));
        RunReport report = fanout.run(targets, Task.of("echo $SSH_CONNECTION"),
                RunOptions.builder().mode(RunMode.ASYNC).build());
        assertEachReachedItsOwnAddress(report);
        fanout.close();
        assertEquals(1, count(bastion, from, LOGIN), bastion.log());
        assertEquals(20, count(bastion, from, CHANNEL), bastion.log());
    }

    /** A chain of two: the bastion carries one channel (to the relay), the relay the 20 hosts. */
    @ContractTest(servers = {})
    void goesThroughAChainOfTwoBastions(ContractTarget target) {
        int fromBastion = logLines(bastion);
        int fromRelay = logLines(relay);
        Fanout fanout = target.fanout(client(knownHosts, List.of(bastion.host(TestServer.KEY_USER),
                relay.host(TestServer.KEY_USER))));
        RunReport report = fanout.run(targets, Task.of("echo $SSH_CONNECTION"), RunOptions.defaults());
        assertEachReachedItsOwnAddress(report);
        fanout.close();
        assertEquals(1, count(bastion, fromBastion, LOGIN), bastion.log());
        assertEquals(1, count(bastion, fromBastion, CHANNEL), bastion.log());
        assertEquals(1, count(relay, fromRelay, LOGIN), relay.log());
        assertEquals(20, count(relay, fromRelay, CHANNEL), relay.log());
    }

    /**
     * Host keys are checked on every hop: a changed key on the bastion fails every host behind it with that cause,
     * naming the bastion, and nothing reaches the hosts.
     */
    @ContractTest(servers = {})
    void failsEveryHostBehindABastionWhoseKeyChanged(ContractTarget target) throws Exception {
        Path changed = ContractServers.scratch().resolve("known_hosts");
        List<String> lines = new ArrayList<>(Files.readAllLines(knownHosts));
        String bastionName = bastion.host(TestServer.KEY_USER).knownHostsName();
        lines.replaceAll(line -> line.startsWith(bastionName + " ") ? bastionName + " " + relay.hostKeyLine() : line);
        Files.write(changed, lines);
        int from = logLines(bastion);
        Fanout fanout = target.fanout(client(changed, List.of(bastion.host(TestServer.KEY_USER))));
        RunReport report = fanout.run(targets, Task.of("true"), RunOptions.defaults());
        for (HostResult result : report.results()) {
            assertEquals(HostStatus.FAILED, result.status(), result.toString());
            BastionFailedException failure = assertInstanceOf(BastionFailedException.class,
                    result.error().orElseThrow());
            assertEquals(Phase.BASTION, failure.phase());
            assertEquals(bastion.host(TestServer.KEY_USER).toString(), failure.bastion());
            assertInstanceOf(HostKeyChangedException.class, failure.bastionFailure().orElseThrow());
            assertTrue(result.detail().startsWith(result.host() + ": bastion " + bastion.host(TestServer.KEY_USER)
                    + " failed: "), result.detail());
            assertTrue(result.detail().contains("HOST KEY CHANGED"), result.detail());
        }
        assertEquals(0, count(bastion, from, LOGIN), bastion.log());
        assertEquals(0, count(bastion, from, CHANNEL), bastion.log());
    }

    /** A host the bastion cannot connect to is that host's failure, with what the bastion said; the rest go on. */
    @ContractTest(servers = {})
    void reportsAHostTheBastionCannotReachAsRefused(ContractTarget target) {
        Host nobody = new Host("127.0.0.22", TARGET_SERVERS.get(0).port(), TestServer.KEY_USER);
        Fanout fanout = target.fanout(client(knownHosts, List.of(bastion.host(TestServer.KEY_USER))));
        RunReport report = fanout.run(List.of(targets.get(0), nobody), Task.of("true"), RunOptions.defaults());
        assertEquals(HostStatus.OK, report.results().get(0).status(), report.results().toString());
        HostResult refused = report.results().get(1);
        assertInstanceOf(ConnectionRefusedException.class, refused.error().orElseThrow());
        assertTrue(refused.detail().contains("bastion " + bastion.host(TestServer.KEY_USER)
                + " could not connect to 127.0.0.22:" + nobody.port()), refused.detail());
    }
}
