package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.Task;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * JDK Flight Recorder events, recorded in process against the real sshd with each driver: a connect and an
 * authentication per session, a step event per step and a host event per host, each with its host, driver, phase
 * and outcome; and {@code jfr print --events 'dev.fanout.*'} shows them.
 */
class FlightRecorderContractTest {

    @ContractTest(servers = ContractServer.OPENSSH)
    void recordsConnectAuthStepAndHostEvents(ContractTarget target, TestDriver driver, TestServer server)
            throws Exception {
        Host good = server.host(TestServer.PASSWORD_USER);
        Host refused = server.host(TestServer.KEY_USER);
        Fanout fanout = target.fanout(Fanout.builder().credentials(Credentials.password(server.password()))
                .hostCredentials(Map.of(refused, Credentials.password(Secret.of("not-the-password"))))
                .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts())).timeouts(ContractTarget.TIMEOUTS));
        Task task = new Task(List.of(Step.exec("echo hi"), Step.exec("exit 3")), true);
        Path file = Files.createTempDirectory("fanout-jfr").resolve("run.jfr");
        RunReport report;
        try (Recording recording = new Recording()) {
            for (String event : List.of("Connect", "Auth", "Step", "Host")) {
                recording.enable("dev.fanout." + event);
            }
            recording.start();
            report = fanout.run(List.of(good, refused), task, RunOptions.defaults());
            recording.stop();
            recording.dump(file);
        }
        assertEquals(List.of("failed", "failed"), report.results().stream()
                .map(result -> result.status().label()).toList(), "exit 3, and the refused login");
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);

        RecordedEvent goodConnect = only(events, "dev.fanout.Connect", good);
        assertFields(goodConnect, driver, "connect", "ok");
        RecordedEvent goodAuth = only(events, "dev.fanout.Auth", good);
        assertFields(goodAuth, driver, "auth", "ok");
        assertFalse(goodAuth.getStartTime().isBefore(goodConnect.getEndTime()), "auth follows the connect");
        assertFields(only(events, "dev.fanout.Connect", refused), driver, "connect", "ok");
        assertFields(only(events, "dev.fanout.Auth", refused), driver, "auth", "auth_failed");

        List<RecordedEvent> steps = all(events, "dev.fanout.Step", good);
        assertEquals(List.of("echo hi", "exit 3"), steps.stream().map(e -> e.getString("step")).toList());
        assertFields(steps.get(0), driver, "exec", "ok");
        assertEquals(3, steps.get(0).getLong("bytes"), "hi and its newline");
        assertFields(steps.get(1), driver, "exec", "exit 3");
        assertEquals(List.of(), all(events, "dev.fanout.Step", refused), "no step on a host that never logged in");

        RecordedEvent goodHost = only(events, "dev.fanout.Host", good);
        assertFields(goodHost, driver, "exec", "exit 3");
        assertEquals("failed", goodHost.getString("status"));
        assertEquals(1, goodHost.getInt("attempts"));
        RecordedEvent refusedHost = only(events, "dev.fanout.Host", refused);
        assertFields(refusedHost, driver, "auth", "auth_failed");
        assertEquals("failed", refusedHost.getString("status"));
        assertFalse(goodHost.getEndTime().isBefore(steps.get(1).getEndTime()), "a host ends after its steps");

        // What users run to see them.
        String printed = Processes.run(List.of(Path.of(System.getProperty("java.home"), "bin", "jfr").toString(),
                "print", "--events", "dev.fanout.*", file.toString()));
        for (String name : List.of("dev.fanout.Connect", "dev.fanout.Auth", "dev.fanout.Step", "dev.fanout.Host")) {
            assertTrue(printed.contains(name + " {"), "jfr print shows " + name + ":\n" + printed);
        }
        assertTrue(printed.contains("outcome = \"auth_failed\""), printed);
    }

    private static void assertFields(RecordedEvent event, TestDriver driver, String phase, String outcome) {
        assertEquals(driver.id(), event.getString("driver"), event.toString());
        assertEquals(phase, event.getString("phase"), event.toString());
        assertEquals(outcome, event.getString("outcome"), event.toString());
    }

    private static List<RecordedEvent> all(List<RecordedEvent> events, String name, Host host) {
        Predicate<RecordedEvent> about = event -> event.getEventType().getName().equals(name)
                && event.getString("host").equals(host.toString());
        return events.stream().filter(about)
                .sorted((a, b) -> a.getStartTime().compareTo(b.getStartTime())).toList();
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name, Host host) {
        List<RecordedEvent> found = all(events, name, host);
        assertEquals(1, found.size(), name + " of " + host + ": " + found);
        return found.get(0);
    }
}
