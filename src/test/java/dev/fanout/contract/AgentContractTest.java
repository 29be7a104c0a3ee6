package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Timeouts;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.Phase;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.Processes;
import dev.fanout.testing.SshAgent;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Logging in with the keys of a real {@code ssh-agent} started by each test ({@code ssh-agent -D -a SOCKET}, keys
 * added with {@code ssh-add}): both drivers, the same outcomes, against both servers.
 */
class AgentContractTest {

    /** A new key pair, not encrypted (ssh-add adds it without asking), that the server's key user accepts. */
    private static Path authorizedKey(TestServer server, Path directory) throws Exception {
        Path key = TestKeys.generate(directory, TestKeys.Format.OPENSSH_ED25519, "");
        server.authorize(Path.of(key + ".pub"));
        return key;
    }

    /** The key's SHA256 fingerprint, from {@code ssh-keygen -l}. */
    private static String fingerprint(Path key) throws Exception {
        return Processes.run(List.of("ssh-keygen", "-l", "-f", key + ".pub")).split(" ", -1)[1];
    }

    private static String whoAmI(Fanout fanout, TestServer server, String user) {
        return fanout.exec(server.host(user), Command.of("echo $USER")).stdout().text();
    }

    @ContractTest
    void logsInWithOnlyTheAgentsKey(ContractTarget target, TestServer server) throws Exception {
        Path directory = ContractServers.scratch();
        try (SshAgent agent = SshAgent.start(directory)) {
            agent.add(authorizedKey(server, directory));
            Fanout fanout = target.fanout(Credentials.of(AuthMethod.agent(agent.socket())));
            assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, server, TestServer.KEY_USER));
        }
    }

    /**
     * Keys are offered in the credentials' order, an agent's at the agent's place: sshd's log says which of two
     * accepted keys logged in. (MINA's own order would put the agent's key first both times.)
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void offersKeysInTheCredentialsOrder(ContractTarget target, OpenSshServer server) throws Exception {
        for (boolean agentFirst : List.of(false, true)) {
            Path directory = ContractServers.scratch();
            Path fileKey = authorizedKey(server, Files.createDirectories(directory.resolve("file")));
            Path agentKey = authorizedKey(server, Files.createDirectories(directory.resolve("agent")));
            try (SshAgent agent = SshAgent.start(directory)) {
                agent.add(agentKey);
                AuthMethod file = AuthMethod.privateKey(fileKey, null);
                AuthMethod fromAgent = AuthMethod.agent(agent.socket());
                Credentials credentials = agentFirst ? Credentials.of(fromAgent, file) : Credentials.of(file,
                        fromAgent);
                try (Fanout fanout = target.fanout(credentials)) {
                    assertEquals(TestServer.KEY_USER + "\n", whoAmI(fanout, server, TestServer.KEY_USER));
                }
            }
            String first = fingerprint(agentFirst ? agentKey : fileKey);
            String second = fingerprint(agentFirst ? fileKey : agentKey);
            List<String> accepted = server.log().lines()
                    .filter(line -> line.contains("Accepted publickey for " + TestServer.KEY_USER + " ")).toList();
            assertTrue(accepted.stream().anyMatch(line -> line.endsWith(" " + first)),
                    "agent first: " + agentFirst + ", expected " + first + " in " + accepted);
            assertFalse(accepted.stream().anyMatch(line -> line.endsWith(" " + second)),
                    "agent first: " + agentFirst + ", " + second + " accepted: " + accepted);
        }
    }

    @ContractTest
    void anEmptyAgentIsAnAuthFailureThatSaysSo(ContractTarget target, TestServer server) throws Exception {
        try (SshAgent agent = SshAgent.start(ContractServers.scratch())) {
            Fanout fanout = target.fanout(Credentials.of(AuthMethod.agent(agent.socket())));
            AuthenticationFailedException failure = assertThrows(AuthenticationFailedException.class,
                    () -> fanout.connect(server.host(TestServer.KEY_USER)));
            assertEquals(Phase.AUTH, failure.phase());
            assertTrue(failure.getMessage().contains("ssh-agent " + agent.socket() + " offered no keys"),
                    failure.getMessage());
            assertTrue(failure.getMessage().contains(server.host(TestServer.KEY_USER).toString()),
                    failure.getMessage());
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void aLockedAgentIsAnAuthFailureThatSaysSo(ContractTarget target, OpenSshServer server) throws Exception {
        Path directory = ContractServers.scratch();
        String lockPassword = "agent-lock-" + directory.getFileName();
        try (SshAgent agent = SshAgent.start(directory)) {
            agent.add(authorizedKey(server, directory));
            agent.lock(lockPassword);
            Fanout fanout = target.fanout(Credentials.of(AuthMethod.agent(agent.socket())));
            AuthenticationFailedException failure = assertThrows(AuthenticationFailedException.class,
                    () -> fanout.connect(server.host(TestServer.KEY_USER)));
            assertTrue(failure.getMessage().contains("offered no keys (it is empty or locked)"), failure.getMessage());
            assertFalse(failure.getMessage().contains(lockPassword), failure.getMessage());
        }
    }

    /** An agent with nothing to offer is one method among others: the next one logs in. */
    @ContractTest
    void anEmptyAgentLeavesTheNextMethodToLogIn(ContractTarget target, TestServer server) throws Exception {
        try (SshAgent agent = SshAgent.start(ContractServers.scratch())) {
            Fanout fanout = target.fanout(Credentials.of(AuthMethod.agent(agent.socket()))
                    .orElse(Credentials.password(server.password()).methods().toArray(AuthMethod[]::new)));
            assertEquals(TestServer.PASSWORD_USER + "\n", whoAmI(fanout, server, TestServer.PASSWORD_USER));
        }
    }

    /** A socket without an agent is a usage error when the client is built, naming the socket: no host is tried. */
    @ContractTest(servers = {})
    void anAgentSocketWithoutAnAgentIsRefusedAtBuild(TestDriver driver) throws Exception {
        Path directory = ContractServers.scratch();
        Path missing = directory.resolve("no-agent.sock");
        Path stale = directory.resolve("stale.sock");
        try (ServerSocketChannel gone = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            gone.bind(UnixDomainSocketAddress.of(stale)); // the file stays when the listener goes, as a dead agent's
        }
        Path regular = Files.writeString(directory.resolve("not-a-socket"), "");
        for (Path socket : List.of(missing, stale, regular)) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> Fanout.builder().driver(driver.id()).credentials(Credentials.of(AuthMethod.agent(socket)))
                            .hostKeyPolicy(HostKeyPolicy.acceptNew(directory.resolve("known_hosts"))).build());
            assertTrue(refused.getMessage().startsWith("ssh-agent socket " + socket), refused.getMessage());
        }
    }

    /**
     * An agent that takes a request and never answers costs the host its auth timeout, no more: the login ends as
     * an auth time-out, and fanout closes its connection to the agent.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    @Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void anAgentThatNeverAnswersCostsTheAuthTimeout(ContractTarget target, OpenSshServer server) throws Exception {
        Path socket = ContractServers.scratch().resolve("silent.sock");
        CountDownLatch askedThenClosed = new CountDownLatch(1);
        try (ServerSocketChannel silent = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            silent.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        SocketChannel client = silent.accept();
                        Thread.ofVirtual().start(() -> readForever(client, askedThenClosed));
                    }
                } catch (IOException e) {
                    // The listener closed at the end of the test.
                }
            });
            Timeouts timeouts = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(30));
            try (Fanout fanout = target.fanout(Fanout.builder().credentials(Credentials.of(AuthMethod.agent(socket)))
                    .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts())).timeouts(timeouts))) {
                ConnectTimeoutException failure = assertThrows(ConnectTimeoutException.class,
                        () -> fanout.connect(server.host(TestServer.KEY_USER)));
                assertEquals(Phase.AUTH, failure.phase());
            }
            assertTrue(askedThenClosed.await(30, TimeUnit.SECONDS), "fanout left its agent connection open");
        }
    }

    /** Reads every request and answers none; counts down when a client that asked something closes. */
    private static void readForever(SocketChannel client, CountDownLatch askedThenClosed) {
        try (client) {
            ByteBuffer request = ByteBuffer.allocate(1024);
            boolean asked = false;
            int read;
            while ((read = client.read(request)) >= 0) {
                asked |= read > 0;
                request.clear();
            }
            if (asked) {
                askedThenClosed.countDown();
            }
        } catch (IOException e) {
            // A reset is a close too, but says nothing about a request: not counted.
        }
    }
}
