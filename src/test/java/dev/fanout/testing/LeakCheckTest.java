package dev.fanout.testing;

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
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The leak check of the contract tests, against the in-process MINA server and a simulated fleet: it finds what a
 * client nobody closed leaves (its session on the server, its threads, virtual ones included), and finds nothing once
 * the clients it handed out are closed. A check that expects a leak waits briefly (the leak stays, however long it
 * waits); one that expects none waits as long as the contract tests do.
 */
class LeakCheckTest {

    private static final Duration BRIEFLY = Duration.ofMillis(200);

    @TempDir
    Path dir;

    private static ContractTarget target(TestDriver driver, Optional<ContractServer> server) {
        return new ContractTarget(driver, server, Optional.empty());
    }

    /** A client the target knows nothing of, so that the check cannot close it. */
    private static Fanout stray(TestDriver driver, TestServer server) {
        return Fanout.builder().driver(driver.id()).credentials(Credentials.password(server.password()))
                .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts())).build();
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void findsTheSessionAndTheThreadsOfAClientNobodyClosed(TestDriver driver) {
        TestServer server = ContractServer.MINA_SERVER.server();
        LeakCheck expectingLeaks = new LeakCheck(BRIEFLY);
        LeakCheck expectingNone = new LeakCheck(ContractExtension.SETTLE);
        ContractTarget target = target(driver, Optional.of(ContractServer.MINA_SERVER));
        try (Fanout stray = stray(driver, server)) {
            stray.connect(server.host(TestServer.PASSWORD_USER));
            if (driver == TestDriver.JSCH) {
                assertTrue(FanoutThreads.alive().values().stream().anyMatch(name -> name.startsWith("Connect thread ")),
                        "JSch's reader, a virtual thread, is seen: " + FanoutThreads.alive());
            }
            AssertionError leaked = assertThrows(AssertionError.class, () -> expectingLeaks.closeAndCheck(target));
            String message = leaked.getMessage();
            assertTrue(message.startsWith(driver + " -> mina-server left behind: mina-server still holds [session of "
                    + TestServer.PASSWORD_USER + " from /127.0.0.1:"), message);
            // JSch's reader ends with the session, which the check drops: the driver's own thread remains. MINA's I/O
            // threads come from its pool and need not outlive the dropped session (a CI run under load saw none).
            String thread = driver == TestDriver.JSCH ? "fanout-jsch-watchdog" : "fanout-mina-timer";
            assertTrue(message.contains(thread), thread + " not in " + message);
        }
        expectingNone.closeAndCheck(target);
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void closesTheClientsItHandedOutAndThenFindsNothingLeft(TestDriver driver) {
        LeakCheck check = new LeakCheck(ContractExtension.SETTLE);
        ContractTarget target = target(driver, Optional.of(ContractServer.MINA_SERVER));
        Fanout fanout = target.fanout(Credentials.password(target.server().password()));
        HostSession session = fanout.connect(target.server().host(TestServer.PASSWORD_USER));
        check.closeAndCheck(target);
        assertFalse(session.isOpen(), "the session of a client handed out is closed with it");
    }

    @Test
    void blamesNoTestForThreadsAliveBeforeIt() {
        TestServer server = ContractServer.MINA_SERVER.server();
        try (Fanout earlier = stray(TestDriver.MINA, server)) {
            earlier.exec(server.host(TestServer.PASSWORD_USER), Command.of("true"));
            new LeakCheck(ContractExtension.SETTLE).closeAndCheck(target(TestDriver.MINA, Optional.empty()));
            assertTrue(FanoutThreads.alive().values().stream().anyMatch(name -> name.equals("fanout-mina-timer")),
                    "the earlier client's threads still run: " + FanoutThreads.alive());
        }
    }

    @Test
    void findsAConnectionLeftOpenToTheTestsFleetAndStopsTheFleet() throws Exception {
        Secret password = Secret.of("fleet-password");
        LeakCheck check = new LeakCheck(BRIEFLY);
        ContractTarget target = target(TestDriver.MINA, Optional.empty());
        SimulatedFleet fleet = target.fleet(FleetConfig.of(2, "root", password));
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        try (Fanout stray = Fanout.builder().credentials(Credentials.password(password))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).build()) {
            stray.connect(fleet.hosts().get(1));
            AssertionError leaked = assertThrows(AssertionError.class, () -> check.closeAndCheck(target));
            assertTrue(leaked.getMessage().contains("simulated fleet on port " + fleet.port()
                    + ": 1 connections open"), leaked.getMessage());
        }
        Host host = fleet.hosts().get(1);
        assertThrows(ConnectException.class, () -> new Socket(host.address(), host.port()).close(),
                "the fleet is stopped");
    }
}
