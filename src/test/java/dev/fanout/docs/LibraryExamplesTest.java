package dev.fanout.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Task;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

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
        for (Class<?> example : List.of(LiveLogs.class, MeteredClient.class)) {
            assertTrue(doc.contains("```java\n" + documented(example) + "```\n"),
                    "docs/library.md shows " + example.getSimpleName() + " as it is in src/test/java");
        }
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
