package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
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
import dev.fanout.testing.Await;
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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

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

    /**
     * A host that takes the TCP connection but never sends its banner ends as a connect timeout in the key exchange,
     * from the connect limit: the message names it. The other limits lie beyond the test's own time limit, so a
     * driver that waited for one of them, or for nothing, fails the test rather than passing late.
     */
    @ContractTest(servers = {})
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timesOutOnAHostThatAcceptsButNeverSpeaks(ContractTarget target) throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
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
            Timeouts connectOnly = new Timeouts(Duration.ofSeconds(2), Duration.ofMinutes(10), Duration.ofMinutes(10));
            try (Fanout fanout = fanout(target, HostKeyPolicy.acceptAll(), ANY, connectOnly)) {
                ConnectTimeoutException failure = assertThrows(ConnectTimeoutException.class,
                        () -> fanout.connect(new Host("127.0.0.1", blackhole.getLocalPort(), "nobody")));
                assertEquals(Phase.KEY_EXCHANGE, failure.phase());
                assertTrue(failure.retryable());
                assertTrue(failure.getMessage().contains("no answer within 2000 ms"), failure.getMessage());
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

    /**
     * A command past its limit ends with a CommandTimeoutException that keeps what it printed, its remote process is
     * signalled, and the session is usable or closed. The command would run for an hour: a driver that waited for
     * its end fails on the test's own time limit.
     */
    @ContractTest
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void endsACommandPastItsTimeoutAndLeavesTheSessionUsableOrClosed(TestServer server, Fanout fanout)
            throws InterruptedException {
        String sleep = uniqueSleep();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            CommandTimeoutException failure = assertThrows(CommandTimeoutException.class,
                    () -> session.exec(Command.of("echo started; " + sleep).withTimeout(Duration.ofSeconds(5))));
            assertEquals(Phase.EXEC, failure.phase());
            assertEquals("started\n", failure.partialResult().stdout().text());
            Await.until("the remote '" + sleep + "' was signalled and ended", () -> !isRunning(sleep));
            if (session.isOpen()) {
                assertEquals("still here\n", session.exec("echo still here").stdout().text());
            } else {
                assertThrows(SessionLostException.class, () -> session.exec("true"));
            }
        } finally {
            endAll(sleep);
        }
    }

    /**
     * A {@code sleep} of an hour whose command line no other process on this machine has (other test JVMs run this
     * test at the same time), for finding it among the processes.
     */
    private static String uniqueSleep() {
        return "sleep 3600." + ThreadLocalRandom.current().nextInt(100_000_000, 1_000_000_000);
    }

    /** Whether a process runs the given command line (both test servers run on this machine). */
    private static boolean isRunning(String commandLine) {
        return ProcessHandle.allProcesses().anyMatch(process -> process.info().commandLine()
                .map(line -> line.contains(commandLine)).orElse(false));
    }

    /** Ends whatever runs the given command line still, so that a failed test leaves no process for an hour. */
    private static void endAll(String commandLine) {
        ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                .map(line -> line.contains(commandLine)).orElse(false)).forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The server dies while a command runs: the command ends as a lost session and the session is closed. The server
     * is killed once the command runs there; the command would run for an hour.
     */
    @ContractTest
    void reportsASessionLostWhenTheServerDiesMidCommand(TestServer server, Fanout fanout) throws Exception {
        String sleep = uniqueSleep();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            CompletableFuture<FanoutException> outcome = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    session.exec(Command.of("echo running; " + sleep));
                    outcome.complete(null);
                } catch (FanoutException e) {
                    outcome.complete(e);
                }
            });
            Await.until(() -> "the remote '" + sleep + "' runs; the exec ended with " + outcome.getNow(null),
                    () -> isRunning(sleep) || outcome.isDone());
            server.killSessions();
            // Past the command limit (60 s) a driver that missed the loss reports a command timeout instead.
            FanoutException failure = outcome.get(2, TimeUnit.MINUTES);
            SessionLostException lost = assertInstanceOf(SessionLostException.class, failure);
            assertEquals(Phase.EXEC, lost.phase());
            assertFalse(lost.retryable());
            assertFalse(session.isOpen());
        } finally {
            endAll(sleep);
        }
    }
}
