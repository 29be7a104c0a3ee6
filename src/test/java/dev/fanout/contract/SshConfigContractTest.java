package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.SshConfig;
import dev.fanout.Task;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.HostKeyUnknownException;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.SshAgent;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Hosts reached through a throwaway OpenSSH client config (never the real {@code ~/.ssh/config}) whose aliases
 * point at the real sshd: both drivers connect through them, log in with the keys and agents it names, and check
 * host keys under the name ssh would check.
 */
class SshConfigContractTest {

    /** A password the key user never accepts: the config's keys must do the logging in. */
    private static final Credentials NOT_ENOUGH = Credentials.password(Secret.of("not-the-password"));

    private final Path directory = ContractServers.scratch();
    /** The real sshd, set by each test from its parameter. */
    private OpenSshServer server;

    /** A new key, not encrypted, that the server's key user accepts. */
    private Path authorizedKey(String name) throws Exception {
        Path key = TestKeys.generate(Files.createDirectories(directory.resolve(name)),
                TestKeys.Format.OPENSSH_ED25519, "");
        server.authorize(Path.of(key + ".pub"));
        return key;
    }

    /** A known_hosts file holding the server's key under these names. */
    private Path knownHosts(String file, String... names) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String name : names) {
            lines.add(name + " " + server.hostKeyLine());
        }
        return Files.write(directory.resolve(file), lines);
    }

    private Path config(String... lines) throws IOException {
        return Files.write(directory.resolve("config"), List.of(lines));
    }

    private static Fanout fanout(ContractTarget target, SshConfig config, Credentials credentials) {
        return target.fanout(Fanout.builder().sshConfig(config).credentials(credentials)
                .timeouts(ContractTarget.TIMEOUTS));
    }

    private String whoAmI(Fanout fanout, Host host) {
        return fanout.exec(host, Command.of("echo $USER")).stdout().text();
    }

    /**
     * The alias names the real sshd (HostName, Port, User) and a key; patterns, negation and an Include decide
     * which hosts get what.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void connectsThroughAliasesAsTheConfigResolvesThem(ContractTarget target, OpenSshServer openssh) throws Exception {
        server = openssh;
        Path key = authorizedKey("key");
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path confD = Files.createDirectories(directory.resolve("conf.d"));
        Files.write(confD.resolve("10-servers.conf"), List.of(
                "Host srv-* !srv-retired",
                "    HostName 127.0.0.1",
                "    Port " + server.host(TestServer.KEY_USER).port(),
                "Host srv-retired",
                "    HostName 127.0.0.1",
                "    Port " + closed));
        SshConfig config = SshConfig.file(config(
                "Include " + confD + "/*.conf", // at the top: inside a Host block it would apply to that block only
                "Host fanout-alias",
                "    HostName 127.0.0.1",
                "    Port " + server.host(TestServer.KEY_USER).port(),
                "Host *",
                "    User " + TestServer.KEY_USER,
                "    IdentityFile " + key,
                "    UserKnownHostsFile " + knownHosts("known_hosts", server.host(TestServer.KEY_USER)
                        .knownHostsName())));
        Host alias = config.host("fanout-alias", "nobody");
        assertEquals(new Host("fanout-alias", server.host(TestServer.KEY_USER).port(), TestServer.KEY_USER), alias);
        List<Host> hosts = List.of(alias, config.host("srv-a", "nobody"), config.host("srv-b", "nobody"),
                config.host("srv-retired", "nobody"));
        try (Fanout fanout = fanout(target, config, NOT_ENOUGH)) {
            assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, alias));
            RunReport report = fanout.run(hosts, Task.of("echo $USER"), RunOptions.defaults());
            List<HostStatus> statuses = report.results().stream().map(HostResult::status).toList();
            assertEquals(List.of(HostStatus.OK, HostStatus.OK, HostStatus.OK, HostStatus.FAILED), statuses,
                    report.results().toString());
            HostResult retired = report.results().get(3);
            assertInstanceOf(ConnectionRefusedException.class, retired.error().orElseThrow());
            assertTrue(retired.detail().contains("srv-retired"), retired.detail());
        }
    }

    /**
     * As with ssh, a config's IdentityFile may be all there is to log in with: no credentials given. A host the
     * config gives no key is refused by the run, naming it, before any host is contacted.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void logsInWithTheConfigsKeysAlone(ContractTarget target, OpenSshServer openssh) throws Exception {
        server = openssh;
        Path key = authorizedKey("key");
        SshConfig config = SshConfig.file(config(
                "Host fanout-alias keyless",
                "    HostName 127.0.0.1",
                "    Port " + server.host(TestServer.KEY_USER).port(),
                "    User " + TestServer.KEY_USER,
                "    UserKnownHostsFile " + server.knownHosts(),
                "Host fanout-alias",
                "    IdentityFile " + key));
        try (Fanout fanout = target.fanout(Fanout.builder().sshConfig(config).timeouts(ContractTarget.TIMEOUTS))) {
            assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, config.host("fanout-alias", null)));
            Host keyless = config.host("keyless", null);
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> fanout.run(List.of(keyless), Task.of("true"), RunOptions.defaults()));
            assertEquals(keyless + ": no way to log in is left: no credentials were given and the ssh config names "
                    + "no usable IdentityFile", refused.getMessage());
        }
    }

    /** Without HostKeyAlias, ssh checks the key under HostName and port, not under the alias. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void checksTheHostKeyUnderTheHostNameNotTheAlias(ContractTarget target, OpenSshServer openssh) throws Exception {
        server = openssh;
        Path key = authorizedKey("key");
        int port = server.host(TestServer.KEY_USER).port();
        SshConfig config = SshConfig.file(config(
                "Host fanout-alias",
                "    HostName 127.0.0.1",
                "    Port " + port,
                "    User " + TestServer.KEY_USER,
                "    IdentityFile " + key,
                "    UserKnownHostsFile " + knownHosts("known_hosts", "fanout-alias", "[fanout-alias]:" + port)));
        try (Fanout fanout = fanout(target, config, NOT_ENOUGH)) {
            HostKeyUnknownException unknown = assertThrows(HostKeyUnknownException.class,
                    () -> fanout.connect(config.host("fanout-alias", null)));
            assertTrue(unknown.getMessage().contains("under the name [127.0.0.1]:" + port), unknown.getMessage());
        }
    }

    /** With HostKeyAlias, the key is checked (and, under accept-new, recorded) under the alias, without a port. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void checksAndRecordsTheHostKeyUnderHostKeyAlias(ContractTarget target, OpenSshServer openssh) throws Exception {
        server = openssh;
        Path key = authorizedKey("key");
        Path trusted = knownHosts("trusted", "db-pool");
        Path fresh = Files.createFile(directory.resolve("fresh"));
        int port = server.host(TestServer.KEY_USER).port();
        SshConfig config = SshConfig.file(config(
                "Host db-*",
                "    HostName 127.0.0.1",
                "    Port " + port,
                "    User " + TestServer.KEY_USER,
                "    IdentityFile " + key,
                "Host db-known",
                "    HostKeyAlias db-pool",
                "    UserKnownHostsFile " + trusted,
                "Host db-new",
                "    HostKeyAlias db-new-alias",
                "    UserKnownHostsFile " + fresh,
                "    StrictHostKeyChecking accept-new"));
        try (Fanout fanout = fanout(target, config, NOT_ENOUGH)) {
            assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, config.host("db-known", null)));
            assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, config.host("db-new", null)));
        }
        assertEquals(List.of("db-new-alias " + server.hostKeyLine()), Files.readAllLines(fresh));
    }

    /** AuthMethod.agent() is the agent the config's IdentityAgent names; "IdentityAgent none" turns it off. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void usesTheAgentTheConfigNames(ContractTarget target, OpenSshServer openssh) throws Exception {
        server = openssh;
        Path key = authorizedKey("agent-key");
        int port = server.host(TestServer.KEY_USER).port();
        try (SshAgent agent = SshAgent.start(directory)) {
            agent.add(key);
            SshConfig config = SshConfig.file(config(
                    "Host with-agent without-agent",
                    "    HostName 127.0.0.1",
                    "    Port " + port,
                    "    User " + TestServer.KEY_USER,
                    "    UserKnownHostsFile " + server.knownHosts(),
                    "Host with-agent",
                    "    IdentityAgent " + agent.socket(),
                    "Host without-agent",
                    "    IdentityAgent none"));
            try (Fanout fanout = fanout(target, config, Credentials.of(AuthMethod.agent()))) {
                assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, config.host("with-agent", null)));
                Host without = config.host("without-agent", null);
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> fanout.run(List.of(without), Task.of("true"), RunOptions.defaults()));
                assertTrue(refused.getMessage().startsWith(without + ": no way to log in is left"),
                        refused.getMessage());
                assertTrue(refused.getMessage().contains("IdentityAgent none at " + directory.resolve("config")
                        + ":9"), refused.getMessage());
            }
        }
    }
}
