package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostSession;
import dev.fanout.Secret;
import dev.fanout.Timeouts;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.HostKeyChangedException;
import dev.fanout.error.HostKeyUnknownException;
import dev.fanout.error.HostUnresolvedException;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Each fault gives the same fanout exception type from both drivers, against both servers. */
class FaultContractTest {

    private static final Credentials ANY = Credentials.password(Secret.of("unused"));

    private static Fanout fanout(ContractTarget target, HostKeyPolicy policy, Credentials credentials,
            Timeouts timeouts) {
        return target.fanout(Fanout.builder().credentials(credentials).hostKeyPolicy(policy).timeouts(timeouts));
    }

    @ContractTest(servers = {})
    void reportsARefusedConnection(ContractTarget target) throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        try (Fanout fanout = fanout(target, HostKeyPolicy.acceptAll(), ANY, ContractTarget.TIMEOUTS)) {
            ConnectionRefusedException failure = assertThrows(ConnectionRefusedException.class,
                    () -> fanout.connect(new Host("127.0.0.1", closedPort, "nobody")));
            assertEquals(Phase.CONNECT, failure.phase());
            assertTrue(failure.retryable());
            assertTrue(failure.getMessage().startsWith("nobody@127.0.0.1:" + closedPort + ": "), failure.getMessage());
        }
    }

    @ContractTest(servers = {})
    void reportsAHostNameThatDoesNotResolve(ContractTarget target) {
        try (Fanout fanout = fanout(target, HostKeyPolicy.acceptAll(), ANY, ContractTarget.TIMEOUTS)) {
            HostUnresolvedException failure = assertThrows(HostUnresolvedException.class,
                    () -> fanout.connect(Host.of("nobody", "no-such-host.invalid")));
            assertFalse(failure.retryable());
        }
    }

    @ContractTest(servers = {})
    void timesOutOnAHostThatAcceptsButNeverSpeaks(ContractTarget target) throws Exception {
        List<Socket> held = new ArrayList<>();
        try (ServerSocket blackhole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        held.add(blackhole.accept());
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            Timeouts quick = ContractTarget.TIMEOUTS.withConnect(Duration.ofSeconds(1));
            try (Fanout fanout = fanout(target, HostKeyPolicy.acceptAll(), ANY, quick)) {
                long start = System.nanoTime();
                ConnectTimeoutException failure = assertThrows(ConnectTimeoutException.class,
                        () -> fanout.connect(new Host("127.0.0.1", blackhole.getLocalPort(), "nobody")));
                long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
                assertEquals(Phase.KEY_EXCHANGE, failure.phase());
                assertTrue(failure.retryable());
                assertTrue(elapsedMillis < 8_000, "took " + elapsedMillis + " ms");
            }
        } finally {
            for (Socket socket : held) {
                socket.close();
            }
        }
    }

    @ContractTest
    void refusesAnUnknownHostKeyUnderStrict(ContractTarget target, TestServer server) throws IOException {
        Path empty = Files.createFile(ContractServers.scratch().resolve("known_hosts"));
        try (Fanout fanout = fanout(target, HostKeyPolicy.strict(empty), Credentials.password(server.password()),
                ContractTarget.TIMEOUTS)) {
            HostKeyUnknownException failure = assertThrows(HostKeyUnknownException.class,
                    () -> fanout.connect(server.host(TestServer.PASSWORD_USER)));
            assertEquals(Phase.HOST_KEY, failure.phase());
            assertFalse(failure.retryable());
            assertTrue(failure.fingerprint().startsWith("SHA256:"));
        }
    }

    /**
     * A real server has several host keys and known_hosts often holds one: whichever it is, both drivers ask the
     * server for that one (as OpenSSH does) and trust the host.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void trustsAHostKnownByAnyOneOfItsKeys(ContractTarget target, OpenSshServer server) throws IOException {
        Host host = server.host(TestServer.PASSWORD_USER);
        for (String keyLine : List.of(server.hostKeyLine(), server.ecdsaHostKeyLine())) {
            Path knownHosts = ContractServers.scratch().resolve("known_hosts");
            Files.writeString(knownHosts, host.knownHostsName() + " " + keyLine + "\n");
            try (Fanout fanout = fanout(target, HostKeyPolicy.strict(knownHosts),
                    Credentials.password(server.password()), ContractTarget.TIMEOUTS)) {
                assertTrue(fanout.exec(host, Command.of("true")).isSuccess(), keyLine);
            }
        }
    }

    @ContractTest
    void refusesAChangedHostKey(ContractTarget target, TestServer server) throws Exception {
        Path scratch = ContractServers.scratch();
        String keyType = server.hostKeyLine().split(" ", -1)[0];
        Path other = scratch.resolve("other");
        List<String> keygen = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-f", other.toString()));
        keygen.addAll(keyType.startsWith("ecdsa") ? List.of("-t", "ecdsa", "-b", "256") : List.of("-t", "ed25519"));
        Processes.run(keygen);
        String otherKey = Files.readString(Path.of(other + ".pub")).strip().split(" ", -1)[1];
        Path knownHosts = scratch.resolve("known_hosts");
        Host host = server.host(TestServer.PASSWORD_USER);
        Files.writeString(knownHosts, "# a comment\n" + host.knownHostsName() + " " + keyType + " " + otherKey + "\n");
        for (HostKeyPolicy policy : List.of(HostKeyPolicy.strict(knownHosts), HostKeyPolicy.acceptNew(knownHosts))) {
            try (Fanout fanout = fanout(target, policy, Credentials.password(server.password()),
                    ContractTarget.TIMEOUTS)) {
                HostKeyChangedException failure = assertThrows(HostKeyChangedException.class,
                        () -> fanout.connect(host));
                assertTrue(failure.getMessage().contains(knownHosts + ":2"), failure.getMessage());
            }
        }
        assertEquals(2, Files.readAllLines(knownHosts).size(), "a changed key is never written");
    }

    /**
     * A man in the middle that has no key of the type recorded for a host offers another: under ACCEPT_NEW (and
     * STRICT) that is a changed key, refused before the password is sent and never recorded. Known_hosts holds a key
     * of a type the server lacks (the MINA server has an ECDSA key only, sshd Ed25519 and ECDSA); both drivers ask
     * for that type first, the server cannot comply and offers its own.
     */
    @ContractTest
    void refusesAHostKeyOfAnotherTypeThanTheOnesRecorded(ContractTarget target, TestServer server) throws Exception {
        Path scratch = ContractServers.scratch();
        Path other = scratch.resolve("other");
        List<String> type = server instanceof OpenSshServer ? List.of("-t", "rsa", "-b", "2048")
                : List.of("-t", "ed25519");
        List<String> keygen = new ArrayList<>(List.of("ssh-keygen", "-q", "-N", "", "-f", other.toString()));
        keygen.addAll(type);
        Processes.run(keygen);
        String otherKeyLine = Files.readString(Path.of(other + ".pub")).strip().replaceFirst(" [^ ]*$", "");
        Host host = server.host(TestServer.PASSWORD_USER);
        Path knownHosts = scratch.resolve("known_hosts");
        Files.writeString(knownHosts, host.knownHostsName() + " " + otherKeyLine + "\n");
        for (HostKeyPolicy policy : List.of(HostKeyPolicy.acceptNew(knownHosts), HostKeyPolicy.strict(knownHosts))) {
            try (Fanout fanout = fanout(target, policy, Credentials.password(server.password()),
                    ContractTarget.TIMEOUTS)) {
                HostKeyChangedException failure = assertThrows(HostKeyChangedException.class,
                        () -> fanout.connect(host), policy.mode().name());
                assertTrue(
                        failure.getMessage().contains(otherKeyLine.split(" ", -1)[0] + " key recorded at " + knownHosts
                                + ":1"),
                        failure.getMessage());
            }
        }
        assertEquals(List.of(host.knownHostsName() + " " + otherKeyLine), Files.readAllLines(knownHosts),
                "the other key is never recorded");
    }

    @ContractTest
    void recordsANewHostKeyUnderAcceptNewThenTrustsItUnderStrict(ContractTarget target, TestServer server) {
        Path knownHosts = ContractServers.scratch().resolve("new/known_hosts");
        Host host = server.host(TestServer.PASSWORD_USER);
        try (Fanout fanout = fanout(target, HostKeyPolicy.acceptNew(knownHosts),
                Credentials.password(server.password()), ContractTarget.TIMEOUTS)) {
            assertTrue(fanout.exec(host, Command.of("true")).isSuccess());
        }
        try {
            assertEquals(List.of(host.knownHostsName() + " " + server.hostKeyLine()), Files.readAllLines(knownHosts));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (Fanout fanout = fanout(target, HostKeyPolicy.strict(knownHosts), Credentials.password(server.password()),
                ContractTarget.TIMEOUTS)) {
            assertTrue(fanout.exec(host, Command.of("true")).isSuccess());
        }
    }

    @ContractTest
    void endsACommandPastItsTimeoutAndLeavesTheSessionUsableOrClosed(TestServer server, Fanout fanout)
            throws InterruptedException {
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            String sleep = "sleep 30." + System.nanoTime() % 1000;
            long start = System.nanoTime();
            CommandTimeoutException failure = assertThrows(CommandTimeoutException.class,
                    () -> session.exec(Command.of("echo started; " + sleep).withTimeout(Duration.ofSeconds(1))));
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMillis < 10_000, "took " + elapsedMillis + " ms");
            assertEquals(Phase.EXEC, failure.phase());
            assertEquals("started\n", failure.partialResult().stdout().text());
            assertTrue(processEnds(sleep), "the remote '" + sleep + "' was not signalled");
            if (session.isOpen()) {
                assertEquals("still here\n", session.exec("echo still here").stdout().text());
            } else {
                assertThrows(SessionLostException.class, () -> session.exec("true"));
            }
        }
    }

    /** Whether no process runs the given command line within 5 s (both test servers run on this machine). */
    private static boolean processEnds(String commandLine) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            boolean running = ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                    .map(line -> line.contains(commandLine)).orElse(false));
            if (!running) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @ContractTest
    void reportsASessionLostWhenTheServerDiesMidCommand(TestServer server, Fanout fanout) throws Exception {
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            CompletableFuture<FanoutException> outcome = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    session.exec(Command.of("echo running; sleep 20"));
                    outcome.complete(null);
                } catch (FanoutException e) {
                    outcome.complete(e);
                }
            });
            Thread.sleep(1_500);
            server.killSessions();
            FanoutException failure = outcome.get(15, java.util.concurrent.TimeUnit.SECONDS);
            SessionLostException lost = org.junit.jupiter.api.Assertions.assertInstanceOf(SessionLostException.class,
                    failure);
            assertEquals(Phase.EXEC, lost.phase());
            assertFalse(lost.retryable());
            assertFalse(session.isOpen());
        }
    }
}
