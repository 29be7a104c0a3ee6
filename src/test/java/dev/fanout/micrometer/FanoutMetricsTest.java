package dev.fanout.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.RunListener;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The Micrometer binder as the client's listener, on a simulated fleet with each driver: timers per phase, hosts
 * counted by status and failures by type, every meter with the binder's tags.
 */
class FanoutMetricsTest {

    private static final Secret PASSWORD = Secret.of("fanout-metrics-test");

    @ContractTest(servers = {})
    void timesEachPhaseAndCountsHostsByStatusAndFailuresByType(ContractTarget target) throws Exception {
        // Five hosts: the third refuses the password; on the others the second command outlives its timeout.
        SimulatedFleet fleet = target.fleet(FleetConfig.of(5, "root", PASSWORD)
                .withFaults(List.of(Fault.on(FaultType.REJECT_CREDENTIALS, 2))));
        Path knownHosts = Files.createTempDirectory("fanout-metrics").resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        MeterRegistry registry = new SimpleMeterRegistry();
        Queue<Host> heard = new ConcurrentLinkedQueue<>();
        Fanout fanout = target.fanout(Fanout.builder().credentials(Credentials.password(PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts))
                .timeouts(new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(30)))
                .eventListener(new FanoutMetrics(registry, Tags.of("service", "installer"))));
        List<Host> hosts = fleet.hosts();
        Task task = new Task(List.of(Step.exec("hostname"),
                new Step.Exec(Command.of("sleep 60").withTimeout(Duration.ofMillis(200)))), false);

        RunReport report = fanout.run(hosts, task, RunOptions.defaults(), new RunListener() {
            @Override
            public void hostFinished(HostResult result) {
                heard.add(result.host());
            }
        });

        assertEquals(5, report.results().size());
        Tags service = Tags.of("service", "installer");
        assertEquals(4, registry.get("fanout.hosts").tags(service).tag("status", "timed_out").counter().count());
        assertEquals(1, registry.get("fanout.hosts").tags(service).tag("status", "failed").counter().count());
        assertEquals(1, registry.get("fanout.errors").tags(service).tag("type", "auth_failed").tag("phase", "auth")
                .counter().count());
        assertEquals(4, registry.get("fanout.errors").tag("type", "command_timeout").tag("phase", "exec").counter()
                .count());
        assertEquals(4, registry.get("fanout.phase").tags(service).tag("phase", "connect").timer().count(),
                "a connect per host that logged in");
        assertEquals(4, registry.get("fanout.phase").tag("phase", "auth").timer().count());
        assertEquals(8, registry.get("fanout.phase").tag("phase", "exec").timer().count(),
                "hostname, and the partial result of the command that timed out, on 4 hosts");
        assertEquals(5, registry.get("fanout.phase").tag("phase", "host").timer().count());
        assertEquals(5, heard.size(), "the run's own listener hears the run too");
    }
}
