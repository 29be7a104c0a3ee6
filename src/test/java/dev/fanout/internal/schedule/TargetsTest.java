package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.ExitStatus;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.PoolSettings;
import dev.fanout.PoolStats;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.UploadSource;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs whose hosts each bring their own password and variables, on one client: three simulated hosts (a fleet of one
 * host each), each accepting only its own password, which the client's default credentials do not know.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TargetsTest {

    private static final Secret DEFAULT_PASSWORD = Secret.of("no-host-takes-this");

    @TempDir
    Path dir;

    private final List<SimulatedFleet> fleets = new ArrayList<>();
    private final List<Secret> passwords = new ArrayList<>();
    private Path knownHosts;

    @BeforeEach
    void startThreeHosts() throws IOException {
        knownHosts = dir.resolve("known_hosts");
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Secret password = Secret.of("password-of-host-" + i + "-" + System.nanoTime());
            SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", password));
            fleets.add(fleet);
            passwords.add(password);
            lines.addAll(fleet.knownHostsLines());
        }
        Files.write(knownHosts, lines);
    }

    @AfterEach
    void stopHosts() {
        fleets.forEach(SimulatedFleet::close);
    }

    private Fanout.Builder client() {
        return Fanout.builder().credentials(Credentials.password(DEFAULT_PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts));
    }

    /** Host i with its own password and {@code agent_id} = agent-i. */
    private List<Target> targets() {
        return IntStream.range(0, 3).mapToObj(i -> Target.of(fleets.get(i).hosts().get(0))
                .withCredentials(Credentials.password(passwords.get(i))).withVar("agent_id", "agent-" + (i + 1)))
                .toList();
    }

    private void assertNoPasswordIn(String text) {
        for (Secret password : passwords) {
            assertFalse(text.contains(password.reveal()), "a password shows in: " + text);
        }
    }

    @Test
    void threeHostsWithTheirOwnPasswordsAndVariablesThenASecondJobReusesTheirSessions() {
        try (Fanout fanout = client().sessionPool(PoolSettings.DEFAULTS).build()) {
            List<Target> targets = targets();
            RunReport first = fanout.runTargets(targets, Task.of("echo installing {{agent_id}}"),
                    RunOptions.defaults());
            assertTrue(first.allOk(), String.valueOf(first.failed()));
            for (int i = 0; i < 3; i++) {
                assertEquals("installing agent-" + (i + 1) + "\n", first.results().get(i).output());
            }
            assertEquals(new PoolStats(3, 3, 0, 0, 0, 3), fanout.poolStats().orElseThrow());

            RunReport second = fanout.runTargets(targets, Task.of("echo checking {{ agent_id }}"),
                    RunOptions.defaults());
            assertTrue(second.allOk(), String.valueOf(second.failed()));
            assertEquals("checking agent-2\n", second.results().get(1).output());
            assertEquals(new PoolStats(3, 6, 3, 0, 0, 3), fanout.poolStats().orElseThrow(),
                    "the second job reused the three sessions, connecting none");
            assertNoPasswordIn(first.toString() + second + targets);
        }
    }

    /** A pooled session is never lent to a run that gives its host other credentials (a wrong password here). */
    @Test
    void aPooledSessionIsNotLentToOtherCredentials() {
        try (Fanout fanout = client().sessionPool(PoolSettings.DEFAULTS).build()) {
            List<Target> targets = targets();
            assertTrue(fanout.runTargets(targets, Task.of("true"), RunOptions.defaults()).allOk());
            Target wrong = targets.get(0).withCredentials(Credentials.password(Secret.of("wrong")));

            HostResult result = fanout.runTargets(List.of(wrong), Task.of("true"), RunOptions.defaults())
                    .results().get(0);

            assertEquals(HostStatus.FAILED, result.status(), result.detail());
            assertInstanceOf(AuthenticationFailedException.class, result.error().orElseThrow());
            assertEquals(0, fanout.poolStats().orElseThrow().reused());
            assertNoPasswordIn(result.toString());
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void eachTargetLogsInWithItsOwnCredentialsAndGetsItsOwnValues(RunMode mode) {
        try (Fanout fanout = client().build()) {
            RunReport report = fanout.runTargets(targets(), Task.of("echo {{agent_id}}"),
                    RunOptions.builder().mode(mode).build());
            assertTrue(report.allOk(), String.valueOf(report.failed()));
            assertEquals(List.of("agent-1\n", "agent-2\n", "agent-3\n"),
                    report.results().stream().map(HostResult::output).toList());
        }
    }

    /** The script step in every run mode: uploaded, run with the target's variables, then removed. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(RunMode.class)
    void aScriptStepRunsWithTheTargetsVariablesAndIsRemoved(RunMode mode) {
        UploadSource script = UploadSource.bytes("agent.sh", "echo agent\n".getBytes(StandardCharsets.UTF_8));
        Task task = new Task(List.of(Step.script(script, Command.of("cat {{script}}; echo {{agent_id}}"))), false);
        try (Fanout fanout = client().build()) {
            RunReport report = fanout.runTargets(targets(), task, RunOptions.builder().mode(mode).build());
            assertTrue(report.allOk(), String.valueOf(report.failed()));
            for (int i = 0; i < 3; i++) {
                HostResult result = report.results().get(i);
                assertEquals("echo agent\nagent-" + (i + 1) + "\n", result.output());
                String line = command(result);
                String path = line.substring("cat ".length(), line.indexOf(';'));
                assertTrue(path.startsWith("./.fanout-script-") && path.endsWith("-agent.sh"), path);
                Target target = targets().get(i);
                HostResult check = fanout.runTargets(List.of(target), Task.of("test -e " + path),
                        RunOptions.defaults()).results().get(0);
                assertEquals(ExitStatus.exited(1), ((StepResult.Executed) check.steps().get(0)).exec().exitStatus(),
                        "the script is removed");
            }
        }
    }

    @Test
    void aVariableATargetLacksIsAUsageErrorNamingHostAndVariableBeforeAnyContact() {
        try (Fanout fanout = client().build()) {
            List<Target> targets = new ArrayList<>(targets());
            targets.set(2, Target.of(fleets.get(2).hosts().get(0)).withVar("region", "eu"));
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> fanout.runTargets(targets, Task.of("true", "install.sh --id {{agent_id}}"),
                            RunOptions.defaults()));
            assertEquals(fleets.get(2).hosts().get(0) + ": command 'install.sh --id {{agent_id}}' uses {{agent_id}}, "
                    + "which is not set for this host (its variables: region)", error.getMessage());
            fleets.forEach(fleet -> assertEquals(0, fleet.peakHandshakesInFlight(), "no host was contacted"));
        }
    }

    @Test
    void aHostGivenTwiceWithOtherInputsIsRefusedAndOnceWithTheSameRunsOnce() {
        try (Fanout fanout = client().build()) {
            Target first = targets().get(0);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> fanout.runTargets(List.of(first, first.withVar("agent_id", "other")), Task.of("true"),
                            RunOptions.defaults()));
            assertTrue(error.getMessage().startsWith(first.host() + " is given twice"), error.getMessage());

            RunReport report = fanout.runTargets(List.of(first, first), Task.of("true"), RunOptions.defaults());
            assertEquals(1, report.results().size());
            assertEquals(1, report.duplicatesRemoved());
        }
    }

    private static String command(HostResult result) {
        return ((StepResult.Executed) result.steps().get(0)).exec().command();
    }

    @Test
    void refusesBadVariableNamesAndValues() {
        Target target = targets().get(0);
        assertThrows(IllegalArgumentException.class, () -> target.withVar("agent-id", "x"));
        assertThrows(IllegalArgumentException.class, () -> target.withVar("1st", "x"));
        assertThrows(IllegalArgumentException.class, () -> target.withVar("id", "a\0b"));
        assertThrows(NullPointerException.class, () -> target.withVar("id", null));
    }
}
