package dev.fanout.testing;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Timeouts;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * What one run of a {@link ContractTest} is about: a driver, a server (or none, for tests that bring their own), and
 * a variant when the test has some. The clients and simulated fleets it makes are the test's to use and the
 * {@link ContractExtension}'s to close after the test, before it checks that nothing leaked. Safe to use from the
 * test's threads.
 */
public final class ContractTarget {

    /**
     * The time limits of the contract tests' clients: connect 30 s, auth 30 s, command 60 s. None is what these
     * tests test (a test of a limit sets its own), so each is far above what a connect or a command takes on a loaded
     * machine, yet below the tests' own time limit, so that a hung step fails as its timeout.
     */
    public static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    private final TestDriver driver;
    private final Optional<ContractServer> server;
    private final Optional<Enum<?>> variant;
    private final Deque<Fanout> clients = new ConcurrentLinkedDeque<>();
    private final Deque<SimulatedFleet> fleets = new ConcurrentLinkedDeque<>();

    ContractTarget(TestDriver driver, Optional<ContractServer> server, Optional<Enum<?>> variant) {
        this.driver = driver;
        this.server = server;
        this.variant = variant;
    }

    /** The driver under test. */
    public TestDriver driver() {
        return driver;
    }

    /** The running server under test (started at the first test that needs it). */
    public TestServer server() {
        return server.orElseThrow(() -> new IllegalStateException(this + " has no server: name it in @ContractTest"))
                .server();
    }

    Optional<ContractServer> serverKind() {
        return server;
    }

    Optional<Enum<?>> variant() {
        return variant;
    }

    /** A client of the server with these credentials, STRICT against the server's known_hosts, {@link #TIMEOUTS}. */
    public Fanout fanout(Credentials credentials) {
        TestServer target = server();
        return fanout(Fanout.builder().credentials(credentials).hostKeyPolicy(HostKeyPolicy.strict(target.knownHosts()))
                .timeouts(TIMEOUTS));
    }

    /**
     * The client {@code builder} builds with the driver under test.
     *
     * @throws IllegalArgumentException as {@link Fanout.Builder#build()} does; nothing is left to close then
     */
    public Fanout fanout(Fanout.Builder builder) {
        Fanout client = builder.driver(driver.id()).build();
        clients.push(client);
        return client;
    }

    /** A simulated fleet started for the test; after it, no connection to the fleet may be left open. */
    public SimulatedFleet fleet(FleetConfig config) throws IOException {
        SimulatedFleet fleet = SimulatedFleet.start(config);
        fleets.push(fleet);
        return fleet;
    }

    /** Closes every client made, the last made first; returns what their closing threw. */
    List<Throwable> closeClients() {
        List<Throwable> failures = new ArrayList<>();
        for (Fanout client = clients.poll(); client != null; client = clients.poll()) {
            try {
                client.close();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            }
        }
        return failures;
    }

    /** The fleets started, each with the connections it still has open; empty when none has any. */
    List<String> openFleetConnections() {
        List<String> open = new ArrayList<>();
        for (SimulatedFleet fleet : fleets) {
            int sessions = fleet.activeSessions();
            if (sessions > 0) {
                open.add("simulated fleet on port " + fleet.port() + ": " + sessions + " connections open");
            }
        }
        return open;
    }

    /** Stops every fleet started; returns what their stopping threw. */
    List<Throwable> closeFleets() {
        List<Throwable> failures = new ArrayList<>();
        for (SimulatedFleet fleet = fleets.poll(); fleet != null; fleet = fleets.poll()) {
            try {
                fleet.close();
            } catch (RuntimeException | Error e) {
                failures.add(e);
            }
        }
        return failures;
    }

    /** {@code jsch -> openssh}, {@code jsch} alone without a server, then the variant: {@code jsch, ED25519}. */
    @Override
    public String toString() {
        return driver + server.map(kind -> " -> " + kind).orElse("") + variant.map(each -> ", " + each).orElse("");
    }
}
