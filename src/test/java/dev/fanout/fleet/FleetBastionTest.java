package dev.fanout.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.BastionSettings;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.error.HandshakeFailedException;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import java.nio.file.Path;
import java.util.List;

/**
 * The fleet's bastion: hosts that take connections from the bastion's address only, reached through it, and the
 * fleet's count of bastion logins and channels.
 */
class FleetBastionTest {

    private static final Secret PASSWORD = Secret.of("fleet-password");

    private static Fanout.Builder client(SimulatedFleet fleet) {
        Path knownHosts = ContractServers.scratch().resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().credentials(Credentials.password(PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).timeouts(ContractTarget.TIMEOUTS);
    }

    /**
     * 1,000 hosts through the bastion with the default settings: all ok, each one channel of a bastion session, and
     * a few logins carry them all (one session fills before the next opens, at most 4).
     */
    @ContractTest(servers = {})
    void reachesAThousandHostsThroughTheBastion(ContractTarget target) throws Exception {
        SimulatedFleet fleet = target.fleet(FleetConfig.of(1000, "root", PASSWORD).withBastion(true));
        Fanout fanout = target.fanout(client(fleet).jumpHosts(List.of(fleet.bastion().orElseThrow())));
        RunReport report = fanout.run(fleet.hosts(), Task.of("uname -sr"), RunOptions.defaults());
        List<HostResult> failed = report.results().stream().filter(result -> result.status() != HostStatus.OK)
                .toList();
        assertEquals(List.of(), failed);
        assertEquals(1000, fleet.bastionChannels());
        int logins = fleet.bastionLogins();
        assertTrue(logins >= 1 && logins <= BastionSettings.DEFAULTS.maxSessions(),
                "1,000 hosts over " + logins + " bastion logins");
    }

    /** One bastion session carries every host when asked to: the figure of docs/performance.md. */
    @ContractTest(servers = {})
    void carriesEveryHostOverOneLoginWhenAskedTo(ContractTarget target) throws Exception {
        SimulatedFleet fleet = target.fleet(FleetConfig.of(300, "root", PASSWORD).withBastion(true));
        Fanout fanout = target.fanout(client(fleet).jumpHosts(List.of(fleet.bastion().orElseThrow()))
                .bastions(new BastionSettings(1, 300, 64)));
        RunReport report = fanout.run(fleet.hosts(), Task.of("uname -sr"), RunOptions.defaults());
        assertTrue(report.allOk(), report.summary().toString());
        assertEquals(1, fleet.bastionLogins());
        assertEquals(300, fleet.bastionChannels());
    }

    /** Behind a bastion, a host contacted directly closes the connection before its banner, as a firewall would. */
    @ContractTest(servers = {})
    void closesAConnectionThatDoesNotComeFromTheBastion(ContractTarget target) throws Exception {
        SimulatedFleet fleet = target.fleet(FleetConfig.of(2, "root", PASSWORD).withBastion(true));
        Fanout fanout = target.fanout(client(fleet));
        RunReport report = fanout.run(fleet.hosts(), Task.of("uname -sr"), RunOptions.defaults());
        for (HostResult result : report.results()) {
            assertEquals(HostStatus.FAILED, result.status(), result.toString());
            assertInstanceOf(HandshakeFailedException.class, result.error().orElseThrow());
        }
        assertEquals(0, fleet.bastionLogins());
        assertEquals(0, fleet.bastionChannels());
    }
}
