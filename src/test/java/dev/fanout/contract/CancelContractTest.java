package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostStatus;
import dev.fanout.PoolSettings;
import dev.fanout.PoolStats;
import dev.fanout.RunHandle;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Task;
import dev.fanout.testing.Await;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Cancelling a host against the real sshd, with each driver. */
class CancelContractTest {

    private static final int TRIES = 20;

    /**
     * A host cancelled just as its command starts on a session reused from the pool ends CANCELLED at once. JSch
     * swallows an interrupt that comes while it waits for a channel to open, so the interrupt alone let such a host
     * run its command to the end (here an hour); cancelling now closes the session the host holds. The cancel comes
     * as soon as the host runs, which lands in the channel's opening often enough over {@value #TRIES} tries.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void aHostCancelledOnAPooledSessionEndsAtOnce(TestServer server, ContractTarget target) throws Exception {
        Fanout fanout = target.fanout(Fanout.builder().credentials(Credentials.password(server.password()))
                .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts())).timeouts(ContractTarget.TIMEOUTS
                        .withCommand(Duration.ofHours(1)))
                .sessionPool(PoolSettings.DEFAULTS));
        Host host = server.host(TestServer.PASSWORD_USER);
        String sleep = "sleep 3600." + System.nanoTime() % 1000;
        try {
            for (int i = 0; i < TRIES; i++) {
                RunHandle run = fanout.submit(List.of(host), Task.of(i == 0 ? "true" : sleep), RunOptions.defaults());
                if (i > 0) {
                    Await.until("the host runs", () -> run.progress().running() == 1 || run.report().isDone());
                    run.cancel(host);
                }
                // Only a hang-guard: a cancelled host ends in milliseconds, one that was missed after an hour.
                RunReport report = run.report().get(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS);
                HostStatus expected = i == 0 ? HostStatus.OK : HostStatus.CANCELLED;
                assertEquals(expected, report.results().get(0).status(), "try " + i + ": " + report.results());
            }
            PoolStats pool = fanout.poolStats().orElseThrow();
            assertTrue(pool.reused() > 0, "some tries ran on a pooled session: " + pool);
        } finally {
            ProcessHandle.allProcesses().filter(process -> process.info().commandLine()
                    .map(line -> line.contains(sleep)).orElse(false)).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
