package dev.fanout.cli;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.FleetScenario;
import dev.fanout.fleet.Latency;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code fanout fleet}: starts a simulated fleet on loopback and serves it until SIGINT or SIGTERM. */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"Starts a simulated fleet of SSH hosts on loopback (127.101.x.y, one port) and serves it "
                + "until interrupted.",
                "Writes the inventory (user@address:port a line) and a known_hosts file, then prints 'ready N hosts'."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by SIGINT/SIGTERM", "2:bad input (nothing started)"})
final class FleetCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--hosts", paramLabel = "N", description = "Number of hosts (default: the scenario's, or 500).")
    private Integer hosts;

    @Option(names = "--first-host", paramLabel = "K", defaultValue = "0",
            description = "Serve hosts K to K+N-1 of a bigger fleet, with the addresses and faults they have there: "
                    + "two processes on one --port share a fleet too big for one open-file limit (default 0).")
    private int firstHost;

    @Option(names = "--latency", paramLabel = "DUR|MIN..MAX",
            description = "Delay of each phase (banner, auth, each command): 100ms, or a range 50ms..150ms.")
    private String latency;

    @Option(names = "--scenario", paramLabel = "FILE", description = "A scenario (YAML); see config/fleet/.")
    private Path scenario;

    @Option(names = "--user", paramLabel = "NAME", description = "The login user (default: the scenario's, or root).")
    private String user;

    @Option(names = "--password-env", paramLabel = "VAR",
            description = "Environment variable holding the password every host accepts.")
    private String passwordEnv;

    @Option(names = "--authorized-keys", paramLabel = "FILE",
            description = "Public keys every host accepts (OpenSSH authorized_keys format).")
    private Path authorizedKeys;

    @Option(names = "--port", paramLabel = "PORT", description = "The port of every host (default: a free one).")
    private int port;

    @Option(names = "--bastion", description = "Hosts reachable only through the fleet's bastion (127.100.0.1, "
            + "same port and login): they take connections from its address alone. Reach them with -J.")
    private boolean bastion;

    @Option(names = "--inventory-out", required = true, paramLabel = "FILE",
            description = "Where to write the inventory.")
    private Path inventoryOut;

    @Option(names = "--known-hosts-out", paramLabel = "FILE", description = "Where to write the hosts' keys.")
    private Path knownHostsOut;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        SimulatedFleet fleet;
        try {
            List<PublicKey> keys = authorizedKeys == null ? List.of()
                    : SimulatedFleet.readAuthorizedKeys(authorizedKeys);
            fleet = SimulatedFleet.start(config(), keys, port);
        } catch (IllegalArgumentException | IOException | UncheckedIOException e) {
            err.println("fanout fleet: " + e.getMessage());
            return FanoutCommand.USAGE_ERROR;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            fleet.close();
            fleet.bastion().ifPresent(gateway -> {
                err.println("fanout fleet: the bastion carried " + fleet.bastionChannels() + " channels over "
                        + fleet.bastionLogins() + " logins");
                err.flush();
            });
            stopped.countDown();
        }, "fanout-fleet-shutdown"));
        try {
            fleet.writeInventory(inventoryOut);
            if (knownHostsOut != null) {
                fleet.writeKnownHosts(knownHostsOut);
            }
        } catch (UncheckedIOException e) {
            err.println("fanout fleet: " + e.getMessage());
            return FanoutCommand.USAGE_ERROR;
        }
        List<dev.fanout.Host> endpoints = fleet.hosts();
        err.println("fanout fleet: " + endpoints.size() + " hosts, " + endpoints.get(0).address() + " to "
                + endpoints.get(endpoints.size() - 1).address() + ", port " + fleet.port() + ", user "
                + fleet.config().user() + "; inventory " + inventoryOut
                + (knownHostsOut == null ? "" : ", known_hosts " + knownHostsOut) + "; Ctrl-C stops it");
        fleet.bastion().ifPresent(gateway -> err.println("fanout fleet: the hosts take connections from the bastion "
                + gateway + " only: fanout run -J " + gateway + " ..."));
        spec.commandLine().getOut().println("ready " + endpoints.size() + " hosts");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }

    private FleetConfig config() {
        if (passwordEnv == null && authorizedKeys == null) {
            throw new IllegalArgumentException("give --password-env VAR (a password the hosts accept) or "
                    + "--authorized-keys FILE, or both");
        }
        Secret password = passwordEnv != null ? Secret.fromEnv(passwordEnv)
                : Secret.of(HexFormat.of().formatHex(new SecureRandom().generateSeed(16)));
        FleetConfig config = FleetConfig.of(500, "root", password);
        if (scenario != null) {
            config = FleetScenario.load(scenario, config);
        }
        if (hosts != null) {
            config = config.withHosts(hosts);
        }
        if (firstHost != 0) {
            config = config.withFirstHost(firstHost);
        }
        if (user != null) {
            config = config.withLogin(user, password);
        }
        if (latency != null) {
            config = config.withLatency(Latency.parse(latency));
        }
        if (bastion) {
            config = config.withBastion(true);
        }
        return config;
    }
}
