package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.Secret;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.error.ConnectTimeoutException;
import dev.fanout.error.Phase;
import dev.fanout.testing.Await;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.StallingResolver;
import dev.fanout.testing.TestDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both drivers bound the host name lookup by the connect timeout. The test JVM's resolver ({@link StallingResolver})
 * never answers for some names, as a DNS server that does not reply; the connect must fail as a connect timeout
 * while that lookup still hangs. Before, it hung with the lookup (each test has a time limit for that case).
 */
class NameLookupContractTest {

    private static final AtomicInteger NAMES = new AtomicInteger();
    private static final Timeouts SHORT_CONNECT = new Timeouts(Duration.ofMillis(500), Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    @TempDir
    Path dir;

    private Fanout fanout(ContractTarget target) throws IOException {
        Path knownHosts = Files.writeString(dir.resolve("known_hosts"), "");
        return target.fanout(Fanout.builder().credentials(Credentials.password(Secret.of("never-sent")))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).timeouts(SHORT_CONNECT));
    }

    private static String hangingName() {
        return "web" + NAMES.incrementAndGet() + StallingResolver.DOMAIN;
    }

    /**
     * Waits for the lookup of {@code name} to reach the resolver, where it hangs until released: the connect timed
     * out with the lookup hanging, not failing. On a loaded machine the lookup's thread may start only after the
     * 500 ms limit has passed; an abandoned lookup still runs, so it reaches the resolver then.
     */
    private static void awaitLookup(String name) throws InterruptedException {
        Await.until("the lookup of " + name + " reached the resolver", () -> StallingResolver.lookedUp(name));
    }

    @ContractTest(servers = {})
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aLookupThatNeverAnswersEndsAsAConnectTimeout(ContractTarget target) throws Exception {
        String name = hangingName();
        try (Fanout fanout = fanout(target)) {
            ConnectTimeoutException failure = assertThrows(ConnectTimeoutException.class,
                    () -> fanout.connect(Host.of("root", name)));
            assertEquals(Phase.CONNECT, failure.phase());
            assertTrue(failure.getMessage().contains(name), failure.getMessage());
            awaitLookup(name);
        } finally {
            StallingResolver.release(name);
        }
    }

    @ContractTest(servers = {}, drivers = TestDriver.MINA, each = RunMode.class, names = {"VIRTUAL", "ASYNC"})
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aRunEndsTheHostTimedOut(ContractTarget target, RunMode mode) throws Exception {
        String name = hangingName();
        try (Fanout fanout = fanout(target)) {
            HostResult result = fanout.run(List.of(Host.of("root", name)), Task.of("true"),
                    RunOptions.builder().mode(mode).build()).results().get(0);
            assertEquals(HostStatus.TIMED_OUT, result.status(), result.detail());
            assertInstanceOf(ConnectTimeoutException.class, result.error().orElseThrow());
            awaitLookup(name);
        } finally {
            StallingResolver.release(name);
        }
    }
}
