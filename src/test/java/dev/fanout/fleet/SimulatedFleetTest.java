package dev.fanout.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostSession;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.error.CommandTimeoutException;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.error.FanoutException;
import dev.fanout.error.HandshakeFailedException;
import dev.fanout.error.HostKeyChangedException;
import dev.fanout.error.SessionLostException;
import dev.fanout.testing.Await;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.Fleets;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated fleet through fanout's own drivers and OpenSSH's client. */
class SimulatedFleetTest {

    private static final Secret PASSWORD = Secret.of("fleet-password");
    private static final List<String> REFERENCE = List.of(
            "uname -sr",
            "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh",
            "nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &");
    /**
     * The clients' limits: far above what a step takes on a loaded machine, since no test here is about them. A
     * test of a fault that only a limit ends sets that one limit short, so as not to wait long for it.
     */
    private static final Timeouts PATIENT = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60));
    /** The connect limit for a blackhole host, which only this limit ends. */
    private static final Duration SHORT = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private Fanout fanout(SimulatedFleet fleet, TestDriver driver, Credentials credentials) {
        return client(fleet, driver, credentials).build();
    }

    /** The settings of a client of the fleet: STRICT against the fleet's host keys, {@link #PATIENT}. */
    private Fanout.Builder client(SimulatedFleet fleet, TestDriver driver, Credentials credentials) {
        Path knownHosts = dir.resolve("known_hosts-" + driver);
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().driver(driver.id()).credentials(credentials)
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).timeouts(PATIENT);
    }

    /** Runs one task per host on virtual threads, at most {@code limit} at once; returns results in host order. */
    private static <T> List<T> onEveryHost(List<Host> hosts, int limit, java.util.function.Function<Host, T> task)
            throws Exception {
        Semaphore permits = new Semaphore(limit);
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (Host host : hosts) {
                Callable<T> call = () -> {
                    permits.acquire();
                    try {
                        return task.apply(host);
                    } finally {
                        permits.release();
                    }
                };
                futures.add(threads.submit(call));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        }
    }

    @ContractTest(servers = {})
    void runsTheReferenceWorkloadOnAThousandHosts(ContractTarget target) throws Exception {
        FleetConfig config = FleetConfig.of(1000, "root", PASSWORD).withLatency(Latency.parse("10ms..30ms"))
                .withKeyboardInteractiveFraction(0.2);
        SimulatedFleet fleet = target.fleet(config);
        Fanout fanout = target.fanout(client(fleet, target.driver(), Credentials.password(PASSWORD)));
        Semaphore handshakes = new Semaphore(50);
        List<String> unames = onEveryHost(fleet.hosts(), 200, host -> {
            try (HostSession session = connect(fanout, host, handshakes)) {
                List<ExecResult> results = REFERENCE.stream().map(session::exec).toList();
                assertTrue(results.stream().allMatch(ExecResult::isSuccess), host + ": " + results);
                return results.get(0).stdout().text();
            }
        });
        assertEquals(1000, unames.size());
        for (int i = 0; i < unames.size(); i++) {
            assertEquals("Linux 5.10.0-" + (20 + i % 8) + "-amd64\n", unames.get(i));
        }
        assertEquals(0, Fleets.awaitNoSessions(fleet));
    }

    /**
     * Connects holding one of {@code handshakes}' permits, as fanout's runs limit the handshakes in flight: hundreds
     * started at once on a loaded machine all slow down together.
     */
    private static HostSession connect(Fanout fanout, Host host, Semaphore handshakes) {
        handshakes.acquireUninterruptibly();
        try {
            return fanout.connect(host);
        } finally {
            handshakes.release();
        }
    }

    /**
     * Each fault of the fleet shows as its own fanout exception, or result. The huge output is counted and cut with
     * a command limit it never nears; the blackhole host and the hung command, which only a limit ends, each meet a
     * short one.
     */
    @ContractTest(servers = {})
    void showsEachFaultAsItsFanoutException(ContractTarget target) throws Exception {
        FleetConfig config = FleetConfig.of(8, "root", PASSWORD).withFaults(List.of(
                Fault.on(FaultType.REFUSE, 0), Fault.on(FaultType.BLACKHOLE, 1),
                Fault.on(FaultType.REJECT_CREDENTIALS, 2), Fault.on(FaultType.HOST_KEY_CHANGED, 3),
                Fault.on(FaultType.DROP_MID_COMMAND, 4), Fault.on(FaultType.HANG, 5),
                Fault.on(FaultType.HUGE_OUTPUT, 6).withBytes(64L << 20), Fault.on(FaultType.INVALID_UTF8, 7)));
        SimulatedFleet fleet = target.fleet(config);
        Fanout fanout = target.fanout(client(fleet, target.driver(), Credentials.password(PASSWORD)));
        Fanout shortConnect = target.fanout(client(fleet, target.driver(), Credentials.password(PASSWORD))
                .timeouts(PATIENT.withConnect(SHORT)));
        List<Host> hosts = fleet.hosts();
        assertEquals(java.util.Set.of(FaultType.BLACKHOLE), fleet.faultsOf(1));
        assertEquals(java.util.Set.of(FaultType.HANG), fleet.faultsOf(5));
        List<Object> outcomes = onEveryHost(hosts, 8, host -> {
            boolean blackhole = host.equals(hosts.get(1));
            boolean hung = host.equals(hosts.get(5));
            try {
                return (blackhole ? shortConnect : fanout).exec(host,
                        hung ? Command.of("uname -sr").withTimeout(SHORT) : Command.of("uname -sr"));
            } catch (FanoutException e) {
                return e;
            }
        });
        assertInstanceOf(ConnectionRefusedException.class, outcomes.get(0));
        assertInstanceOf(ConnectTimeoutException.class, outcomes.get(1));
        assertInstanceOf(AuthenticationFailedException.class, outcomes.get(2));
        assertInstanceOf(HostKeyChangedException.class, outcomes.get(3));
        assertInstanceOf(SessionLostException.class, outcomes.get(4));
        assertInstanceOf(CommandTimeoutException.class, outcomes.get(5));
        ExecResult huge = assertInstanceOf(ExecResult.class, outcomes.get(6));
        assertEquals(64L << 20, huge.stdout().totalBytes());
        assertEquals(Fanout.DEFAULT_OUTPUT_LIMIT, huge.stdout().size());
        ExecResult invalid = assertInstanceOf(ExecResult.class, outcomes.get(7));
        assertFalse(invalid.stdout().isValidUtf8());
        assertTrue(invalid.stdout().text().startsWith("\uFFFD\uFFFD"), invalid.stdout().text());
        for (int i = 0; i < 6; i++) {
            assertTrue(((FanoutException) outcomes.get(i)).getMessage().contains(hosts.get(i).toString()));
        }
    }

    /**
     * A blackhole host never answers, yet lets go of a connection once its client has given up and closed it: it
     * used to stop reading, never saw the close, and held every such connection until the fleet stopped.
     */
    @ContractTest(servers = {})
    void aBlackholeHostLetsGoOfTheConnectionsItsClientsClosed(ContractTarget target) throws Exception {
        FleetConfig config = FleetConfig.of(1, "root", PASSWORD).withFaults(List.of(Fault.on(FaultType.BLACKHOLE, 0)));
        SimulatedFleet fleet = target.fleet(config);
        Fanout fanout = target.fanout(client(fleet, target.driver(), Credentials.password(PASSWORD))
                .timeouts(PATIENT.withConnect(SHORT)));
        for (int attempt = 0; attempt < 2; attempt++) {
            assertThrows(ConnectTimeoutException.class, () -> fanout.connect(fleet.hosts().get(0)));
        }
        assertEquals(0, Fleets.awaitNoSessions(fleet));
    }

    /**
     * Six handshakes at once to a fleet that takes two at a time: two succeed, four are dropped as retryable. The
     * banner comes 3 s after the connect, so that all six are in flight before the first two are done.
     */
    @ContractTest(servers = {})
    void dropsHandshakesBeyondMaxStartupsAsRetryable(ContractTarget target) throws Exception {
        FleetConfig config = FleetConfig.of(6, "root", PASSWORD).withMaxStartups(2)
                .withLatencies(Latency.parse("3s"), Latency.NONE, Latency.NONE);
        SimulatedFleet fleet = target.fleet(config);
        Fanout fanout = target.fanout(client(fleet, target.driver(), Credentials.password(PASSWORD)));
        List<Object> outcomes = onEveryHost(fleet.hosts(), 6, host -> {
            try {
                return fanout.exec(host, Command.of("true"));
            } catch (FanoutException e) {
                return e;
            }
        });
        long succeeded = outcomes.stream().filter(ExecResult.class::isInstance).count();
        List<HandshakeFailedException> dropped =
                outcomes.stream().filter(HandshakeFailedException.class::isInstance)
                        .map(HandshakeFailedException.class::cast).toList();
        assertEquals(2, succeeded, String.valueOf(outcomes));
        assertEquals(4, dropped.size(), String.valueOf(outcomes));
        assertTrue(dropped.stream().allMatch(FanoutException::retryable));
    }

    @ContractTest(servers = {})
    void keyboardInteractiveOnlyHostsRefuseThePasswordMethod(ContractTarget target) throws Exception {
        FleetConfig config = FleetConfig.of(1, "root", PASSWORD).withKeyboardInteractiveFraction(1);
        SimulatedFleet fleet = target.fleet(config);
        Host host = fleet.hosts().get(0);
        try (Fanout fanout = target.fanout(client(fleet, target.driver(), Credentials.password(PASSWORD)))) {
            assertTrue(fanout.exec(host, Command.of("true")).isSuccess());
        }
        try (Fanout fanout = target.fanout(client(fleet, target.driver(),
                Credentials.of(AuthMethod.password(PASSWORD))))) {
            assertThrows(AuthenticationFailedException.class, () -> fanout.connect(host));
        }
    }

    /**
     * {@code nohup ... &} returns while its job runs on in simulated time (a job of an hour has written nothing
     * yet), and a job of a second writes its output once done. Each command takes the fleet's command latency.
     */
    @Test
    void runsBackgroundJobsInSimulatedTimeAndAppliesCommandLatency() throws Exception {
        FleetConfig config = FleetConfig.of(1, "root", PASSWORD).withLatencies(Latency.NONE, Latency.NONE,
                Latency.parse("200ms"));
        try (SimulatedFleet fleet = SimulatedFleet.start(config);
                Fanout fanout = fanout(fleet, TestDriver.MINA, Credentials.password(PASSWORD));
                HostSession session = fanout.connect(fleet.hosts().get(0))) {
            ExecResult started =
                    session.exec("echo 'sleep 3600 && echo finished' > long.sh; nohup bash long.sh &> long.out &");
            assertTrue(started.isSuccess(), started.toString());
            // A lower bound: a loaded machine only makes the command take longer.
            assertTrue(started.duration().toMillis() >= 200, "command latency applies: " + started.duration());
            assertEquals(ExitStatus.exited(1), session.exec("cat long.out").exitStatus(),
                    "nohup returned while the job still runs: it has written nothing");
            assertTrue(session.exec("echo 'sleep 1 && echo finished' > job.sh; nohup bash job.sh &> job.out &")
                    .isSuccess());
            Await.until("the job's output", () -> session.exec("cat job.out").stdout().text().equals("finished\n"));
            assertEquals(ExitStatus.exited(1), session.exec("cat long.out").exitStatus(),
                    "the job of an hour still runs");
        }
    }

    @Test
    void servesOpenSshsClientWithStrictHostKeyChecking() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        Path knownHosts = dir.resolve("known_hosts");
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", PASSWORD),
                SimulatedFleet.readAuthorizedKeys(Path.of(key + ".pub")), 0)) {
            fleet.writeKnownHosts(knownHosts);
            Host host = fleet.hosts().get(2);
            String output = Processes.run(List.of("ssh", "-i", key.toString(), "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-o", "IdentitiesOnly=yes", "-p", String.valueOf(host.port()), "root@" + host.address(),
                    "uname -sr"));
            assertEquals("Linux 5.10.0-22-amd64\n", output);
            Files.writeString(knownHosts, "");
            assertThrows(java.io.IOException.class, () -> Processes.run(List.of("ssh", "-i", key.toString(),
                    "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-p", String.valueOf(host.port()), "root@" + host.address(), "uname -sr")),
                    "OpenSSH refuses the host once its key is not known");
        }
    }

    /**
     * Key login answers after the auth latency like any other method: OpenSSH's client and both drivers log in, and
     * an unknown key is refused (not disconnected). MINA asks about a key before signing with it; that question is
     * answered at once, the signed request after the latency.
     */
    @Test
    void logsInByKeyWhenAuthenticationHasLatency() throws Exception {
        Path key = dir.resolve("id_ed25519");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString()));
        Path stranger = dir.resolve("id_stranger");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", stranger.toString()));
        FleetConfig config = FleetConfig.of(3, "root", PASSWORD)
                .withLatencies(Latency.NONE, Latency.parse("100ms"), Latency.NONE);
        try (SimulatedFleet fleet = SimulatedFleet.start(config, SimulatedFleet.readAuthorizedKeys(
                Path.of(key + ".pub")), 0)) {
            Host host = fleet.hosts().get(1);
            assertEquals("Linux 5.10.0-21-amd64\n", openSsh(fleet, key, host, "uname -sr"));
            java.io.IOException refused = assertThrows(java.io.IOException.class,
                    () -> openSsh(fleet, stranger, host, "uname -sr"));
            assertTrue(refused.getMessage().contains("Permission denied (publickey"), refused.getMessage());
            for (TestDriver driver : TestDriver.values()) {
                try (Fanout fanout = fanout(fleet, driver, Credentials.of(AuthMethod.privateKey(key, null)))) {
                    HostResult result = fanout.run(List.of(host), Task.of("whoami")).results().get(0);
                    assertTrue(result.ok(), driver + ": " + result.detail());
                    assertEquals("root\n", result.steps().get(0).output(), driver.id());
                    assertTrue(result.timings().auth().toMillis() >= 100, driver + ", the latency applies: "
                            + result.timings());
                }
                try (Fanout fanout = fanout(fleet, driver, Credentials.of(AuthMethod.privateKey(stranger, null)))) {
                    assertThrows(AuthenticationFailedException.class, () -> fanout.exec(host, Command.of("whoami")),
                            driver.id());
                }
            }
        }
    }

    /** OpenSSH's {@code ssh} in batch mode, reading only a throwaway config and known_hosts file. */
    private String openSsh(SimulatedFleet fleet, Path key, Host host, String command) throws Exception {
        Path knownHosts = dir.resolve("known_hosts-openssh");
        fleet.writeKnownHosts(knownHosts);
        Path config = dir.resolve("ssh_config");
        Files.writeString(config, String.join("\n", "Host *", "  BatchMode yes", "  StrictHostKeyChecking yes",
                "  UserKnownHostsFile " + knownHosts, "  GlobalKnownHostsFile /dev/null", "  IdentitiesOnly yes",
                "  IdentityAgent none", "  PreferredAuthentications publickey", "  IdentityFile " + key, ""));
        return Processes.run(List.of("ssh", "-F", config.toString(), "-p", String.valueOf(host.port()),
                host.user() + "@" + host.address(), command));
    }

    @Test
    void servesManyConnectedHostsWithAFixedNumberOfThreads() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(400, "root", PASSWORD));
                Fanout fanout = fanout(fleet, TestDriver.MINA, Credentials.password(PASSWORD))) {
            List<HostSession> sessions = onEveryHost(fleet.hosts().subList(0, 10), 10, fanout::connect);
            long fewThreads = fleetThreads();
            sessions.forEach(HostSession::close);
            sessions = onEveryHost(fleet.hosts(), 100, fanout::connect);
            try {
                assertEquals(400, fleet.activeSessions());
                assertEquals(fewThreads, fleetThreads(), "the fleet's threads do not grow with hosts");
            } finally {
                sessions.forEach(HostSession::close);
            }
        }
    }

    private static long fleetThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("sshd-SshServer") || name.startsWith("fanout-fleet")).count();
    }

    /** A fleet serving hosts 6 to 9 of ten has their addresses and the faults they have in the fleet of ten. */
    @Test
    void aShareOfAFleetHasTheAddressesAndFaultsItsHostsHaveInTheWholeFleet() throws Exception {
        FleetConfig whole = FleetConfig.of(10, "root", PASSWORD).withSeed(7).withKeyboardInteractiveFraction(0.3)
                .withFaults(
                        List.of(Fault.onFraction(FaultType.REJECT_CREDENTIALS, 0.3), Fault.on(FaultType.REFUSE, 8)));
        List<Host> wholeHosts;
        List<Object> wholeTraits = new ArrayList<>();
        try (SimulatedFleet fleet = SimulatedFleet.start(whole)) {
            wholeHosts = fleet.hosts().subList(6, 10);
            for (int i = 6; i < 10; i++) {
                wholeTraits.add(List.of(fleet.faultsOf(i), fleet.keyboardInteractiveOnly(i)));
            }
        }
        try (SimulatedFleet share = SimulatedFleet.start(whole.withHosts(4).withFirstHost(6))) {
            assertEquals(wholeHosts.stream().map(Host::address).toList(),
                    share.hosts().stream().map(Host::address).toList());
            List<Object> shareTraits = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                shareTraits.add(List.of(share.faultsOf(i), share.keyboardInteractiveOnly(i)));
            }
            assertEquals(wholeTraits, shareTraits);
            assertTrue(wholeTraits.stream().anyMatch(traits -> !((List<?>) traits).get(0).equals(Set.of())),
                    "some host of the share has a fault, so that the comparison means something: " + wholeTraits);
        }
    }

}
