package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.nio.file.Path;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client's listener ({@link Fanout.Builder#eventListener}) hears every run, each call before the run's own. */
class EventListenerTest {

    private static final Secret PASSWORD = Secret.of("event-listener-test");

    @TempDir
    Path dir;

    /** Notes each call as {@code who call host}. */
    private static RunListener recorder(String who, Queue<String> calls) {
        return new RunListener() {
            @Override
            public void hostStarted(Host host) {
                calls.add(who + " started " + host);
            }

            @Override
            public void hostFinished(HostResult result) {
                calls.add(who + " finished " + result.host());
            }
        };
    }

    @Test
    void theClientsListenerHearsEveryRunBeforeEachRunsOwnListener() throws Exception {
        Queue<String> calls = new ConcurrentLinkedQueue<>();
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", PASSWORD))) {
            Path knownHosts = dir.resolve("known_hosts");
            fleet.writeKnownHosts(knownHosts);
            try (Fanout fanout = Fanout.builder().credentials(Credentials.password(PASSWORD))
                    .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).eventListener(recorder("client", calls))
                    .build()) {
                for (String run : List.of("first", "second")) {
                    fanout.run(fleet.hosts(), Task.of("true"), RunOptions.defaults(), recorder(run, calls));
                }
            }
            List<String> heard = List.copyOf(calls);
            assertEquals(24, heard.size(), heard.toString());
            for (Host host : fleet.hosts()) {
                List<String> hostCalls = heard.stream().filter(call -> call.endsWith(" " + host)).toList();
                assertEquals(List.of("client started " + host, "first started " + host, "client finished " + host,
                        "first finished " + host, "client started " + host, "second started " + host,
                        "client finished " + host, "second finished " + host), hostCalls);
            }
        }
    }
}
