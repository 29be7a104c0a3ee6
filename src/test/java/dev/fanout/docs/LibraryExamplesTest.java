package dev.fanout.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.PoolSettings;
import dev.fanout.PoolStats;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.error.Phase;
import dev.fanout.error.PoolExhaustedException;
import dev.fanout.testing.Await;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The complete examples of docs/library.md are the classes of this package, word for word (their package line
 * aside), and they run: against the real sshd, with each driver.
 */
class LibraryExamplesTest {

    private static final Path LIBRARY_DOC = Path.of("docs", "library.md");

    /** The example's source as the documentation shows it: the file without its package line. */
    private static String documented(Class<?> example) throws IOException {
        String source = Files.readString(Path.of("src", "test", "java", example.getName().replace('.', '/') + ".java"));
        return source.substring(source.indexOf('\n', source.indexOf("package ")) + 1).stripLeading();
    }

    @Test
    void theDocumentationShowsEachExampleAsItIsCompiled() throws IOException {
        String doc = Files.readString(LIBRARY_DOC);
        for (Class<?> example : List.of(JobService.class, AgentInstaller.class, LiveLogs.class, ConfigPush.class,
                MeteredClient.class)) {
            assertTrue(doc.contains("```java\n" + documented(example) + "```\n"),
                    "docs/library.md shows " + example.getSimpleName() + " as it is in src/test/java");
        }
    }

    /**
     * Three jobs on one service: the first hangs on one host (a remote sleep of an hour) while its others finish; a
     * second job on that host waits for its one pooled session, then ends with PoolExhaustedException, while its other
     * host reuses the session the first job left; cancelling the hanging host leaves the first job's others OK; the
     * third job is cancelled whole.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void theJobServiceFollowsAndCancelsJobsThatShareTheirLimits(OpenSshServer server, ContractTarget target)
            throws Exception {
        Host quick = server.host(TestServer.PASSWORD_USER);
        Host slow = server.host(TestServer.KBD_USER);
        Host other = server.host(OpenSshServer.SUDO_USER);
        // The command limit is far above the test's own: the hanging host can only end cancelled.
        Fanout fanout = target.fanout(JobService.client(Credentials.password(server.password()), server.knownHosts())
                .timeouts(ContractTarget.TIMEOUTS.withCommand(Duration.ofMinutes(10))));
        String sleep = uniqueSleep();
        String longer = uniqueSleep();
        try (JobService service = new JobService(fanout)) {
            String first = service.start(List.of(quick, slow, other),
                    "test \"$USER\" != " + TestServer.KBD_USER + " || " + sleep + "; echo installed");
            Await.until(() -> "the slow host's sleep runs, the others are done: " + service.status(first),
                    () -> isRunning(server, sleep)
                            && service.status(first).equals("2 done, 1 running, 0 waiting of 3"));

            String second = service.start(List.of(quick, slow), "echo again");
            RunReport busy = service.report(second).get();
            assertEquals(HostStatus.OK, busy.results().get(0).status(), busy.results().get(0).detail());
            assertEquals(1, fanout.poolStats().orElseThrow().reused(), "the quick host's session served again");
            HostResult waited = busy.results().get(1);
            assertEquals(HostStatus.TIMED_OUT, waited.status(), waited.detail());
            assertInstanceOf(PoolExhaustedException.class, waited.error().orElseThrow());

            assertTrue(service.cancel(first, slow));
            RunReport installed = service.report(first).get();
            assertEquals(List.of(HostStatus.OK, HostStatus.CANCELLED, HostStatus.OK),
                    installed.results().stream().map(HostResult::status).toList());
            assertEquals("installed\n", installed.results().get(0).output());
            assertFalse(service.cancel(first), "the job has finished");

            // Cancelled once its commands run: JSch swallows an interrupt that comes while it opens a channel, so a
            // host cancelled then on a reused pooled session runs on (a bug of its own, not this example's).
            String third = service.start(List.of(quick, slow, other), longer);
            Await.until(() -> "three hosts run '" + longer + "': " + service.status(third),
                    () -> server.processes(title -> title.equals(longer)).size() == 3);
            assertTrue(service.cancel(third));
            RunReport cancelled = service.report(third).get();
            assertEquals(Map.of(HostStatus.CANCELLED, 3), nonZero(cancelled.summary()), cancelled.summary().toString());
        } finally {
            // A remote command whose session was closed may live on, no longer under sshd.
            ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                    .map(line -> line.contains(sleep) || line.contains(longer)).orElse(false))
                    .forEach(ProcessHandle::destroyForcibly);
        }
    }

    /**
     * The installer's targets log in with their own password (the client's is wrong) and each host gets its own id,
     * verbatim though it holds quotes and a command substitution; the check job reuses every session, and a job
     * with another password gets none of them.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void theAgentInstallerGivesEachHostItsOwnLoginAndId(OpenSshServer server, ContractTarget target) {
        Fanout fanout = target.fanout(Fanout.builder()
                .credentials(Credentials.password(Secret.of("not-the-hosts-password")))
                .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts())).timeouts(ContractTarget.TIMEOUTS)
                .sessionPool(PoolSettings.DEFAULTS));
        String suffix = Long.toHexString(System.nanoTime());
        List<AgentInstaller.Row> rows = Stream.of(TestServer.PASSWORD_USER, TestServer.KBD_USER,
                OpenSshServer.SUDO_USER).map(
                        user -> new AgentInstaller.Row(server.host(user), server.password(),
                                user + " 7f3a'; echo \"$(id)\" `id` " + suffix))
                .toList();
        AgentInstaller installer = new AgentInstaller(fanout);

        RunReport installed = installer.install(rows);
        assertTrue(installed.allOk(), installed.failed().toString());
        RunReport checked = installer.check(rows).report().join();
        assertEquals(List.of("ok\n", "ok\n", "ok\n"), checked.results().stream().map(HostResult::output).toList());
        PoolStats pool = fanout.poolStats().orElseThrow();
        assertEquals(3, pool.created(), pool.toString());
        assertEquals(3, pool.reused(), pool.toString());

        List<AgentInstaller.Row> otherPassword = rows.stream().map(row -> new AgentInstaller.Row(row.host(),
                Secret.of("another-password"), row.agentId())).toList();
        RunReport refused = installer.check(otherPassword).report().join();
        for (HostResult result : refused.results()) {
            assertEquals(HostStatus.FAILED, result.status(), result.detail());
            assertEquals(Phase.AUTH, result.error().orElseThrow().phase(), result.detail());
        }
        assertEquals(3, fanout.poolStats().orElseThrow().reused(), "no session was lent to another password");

        RunReport ids = fanout.runTargets(rows.stream().map(row -> Target.of(row.host())
                .withCredentials(Credentials.password(row.password()))).toList(), Task.of("cat .agent-id"),
                RunOptions.defaults());
        assertEquals(rows.stream().map(row -> row.agentId() + "\n").toList(),
                ids.results().stream().map(HostResult::output).toList());
    }

    /**
     * The config file arrives owned by root, in a directory only root may write to; the check script runs as root with
     * the path from the environment and sees the file's content; the pty has the size asked for.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void theConfigPushWritesTheFileAsRootAndChecksIt(OpenSshServer server, Fanout fanout) throws Exception {
        server.requireSudo();
        Path local = ContractServers.scratch();
        Path config = Files.writeString(local.resolve("agent.conf"), "mode=prod\n");
        Path check = Files.writeString(local.resolve("check.sh"),
                "echo \"$(id -un) checked $(stat -c '%a %U' \"$1\"): $(cat \"$1\")\"\n");
        Path remote = ContractServers.scratch().resolve("etc").resolve("agent.conf");
        Host host = server.host(TestServer.PASSWORD_USER);
        ConfigPush push = new ConfigPush(fanout);

        RunReport report = push.push(List.of(host), config, remote.toString(), check);
        assertTrue(report.allOk(), report.failed().toString());
        assertEquals("root checked 644 root: mode=prod\n", report.results().get(0).output());
        assertEquals("mode=prod\n", Files.readString(remote));
        assertEquals("40 120", push.terminalSize(host));
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void liveLogsShowWhatEachHostPrinted(TestServer server, Fanout fanout) throws Exception {
        Host host = server.host(TestServer.PASSWORD_USER);
        LiveLogs logs = new LiveLogs();
        RunReport report = logs.start(fanout, List.of(host), "echo one; echo two >&2; echo three").report()
                .get(60, TimeUnit.SECONDS);
        assertTrue(report.allOk(), report.results().toString());
        String log = logs.log(host);
        assertEquals(List.of("one", "three", "two"), log.lines().sorted().toList());
        assertTrue(log.indexOf("one") < log.indexOf("three"), "each stream in order: " + log);
    }

    /**
     * A {@code sleep} of an hour whose command line no other process has (other test JVMs run at the same time), for
     * finding it among the server's processes.
     */
    private static String uniqueSleep() {
        return "sleep 3600." + ThreadLocalRandom.current().nextInt(100_000_000, 1_000_000_000);
    }

    private static boolean isRunning(OpenSshServer server, String commandLine) {
        return !server.processes(title -> title.equals(commandLine)).isEmpty();
    }

    private static Map<HostStatus, Integer> nonZero(Map<HostStatus, Integer> summary) {
        return summary.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** The example builds a client with the default driver, mina. */
    @ContractTest(drivers = TestDriver.MINA, servers = ContractServer.OPENSSH)
    void theMeteredClientCountsItsHostsAndFailures(TestServer server) throws Exception {
        MeterRegistry registry = new SimpleMeterRegistry();
        try (Fanout fanout = MeteredClient.build(registry, Credentials.password(server.password()),
                server.knownHosts())) {
            RunReport report =
                    fanout.run(List.of(server.host(TestServer.PASSWORD_USER), server.host(TestServer.KBD_USER),
                            server.host(TestServer.KEY_USER)), Task.of("true"), RunOptions.defaults());
            assertEquals(1, report.failed().size(), "the key-only user refuses a password");
        }
        String shown = MeteredClient.dashboard(registry);
        assertTrue(shown.startsWith("ok 2, logins refused 1, connect "), shown);
    }
}
