package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Command;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Fanout;
import dev.fanout.HostSession;
import dev.fanout.error.CommandFailedException;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/** Running commands: the same behaviour from both drivers against both servers. */
class ExecContractTest {

    @ContractTest
    void runsTheReferenceWorkloadsThreeCommands(TestServer server, Fanout fanout) {
        // A name of its own per run: checkouts testing at the same time share /tmp.
        String script = "/tmp/fanout-reference-" + UUID.randomUUID() + ".sh";
        List<String> reference = List.of(
                "uname -sr",
                "echo 'sleep 60 && ls -al' > " + script + " && chmod +x " + script,
                "nohup bash " + script + " &> " + script + ".out &");
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            ExecResult uname = session.exec(reference.get(0));
            assertEquals(ExitStatus.exited(0), uname.exitStatus());
            assertTrue(uname.stdout().text().startsWith("Linux "), uname.stdout().text());
            assertTrue(session.exec(reference.get(1)).isSuccess());
            ExecResult background = session.exec(reference.get(2));
            assertTrue(background.isSuccess(), background.stderr().text());
            // nohup returned while its command still runs: the exec did not wait for the background process.
            assertTrue(session.exec("pgrep -f " + script).isSuccess(), "the background script must still run");
            assertEquals("sleep 60 && ls -al\n", session.exec("cat " + script).stdout().text());
            assertTrue(session.exec("test -x " + script).isSuccess());
            session.exec("pkill -f " + script + "; rm -f " + script + " " + script + ".out");
        }
    }

    @ContractTest
    void keepsStdoutAndStderrApart(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("echo to-out; echo to-err >&2"));
        assertEquals("to-out\n", result.stdout().text());
        assertEquals("to-err\n", result.stderr().text());
        assertFalse(result.truncated());
    }

    @ContractTest
    void reportsNonZeroExitAsAResultAndAsAnErrorWhenChecked(TestDriver driver, TestServer server, Fanout fanout) {
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            ExecResult result = session.exec("echo partial; exit 3");
            assertEquals(ExitStatus.exited(3), result.exitStatus());
            assertEquals("partial\n", result.stdout().text());
            CommandFailedException failed = assertThrows(CommandFailedException.class,
                    () -> session.exec(Command.of("exit 4").checked()));
            assertEquals(ExitStatus.exited(4), failed.result().exitStatus());
            assertEquals(driver.id(), failed.driver());
            assertTrue(failed.getMessage().contains(server.host(TestServer.PASSWORD_USER).toString()));
            assertTrue(session.exec("true").isSuccess(), "the session survives a failed command");
        }
    }

    @ContractTest
    void keepsInvalidUtf8BytesAndReplacesThemInText(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("printf '\\377\\376ok\\303'"));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe, 'o', 'k', (byte) 0xc3}, result.stdout().bytes());
        assertFalse(result.stdout().isValidUtf8());
        assertEquals("\uFFFD\uFFFDok\uFFFD", result.stdout().text());
    }

    @ContractTest
    void capsFiftyMegabytesOfOutputAtTheLimitAndDrainsTheRest(TestServer server, Fanout fanout) {
        int limit = 1 << 20;
        long total = 50L << 20;
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("head -c " + total + " /dev/zero; echo done >&2"));
        assertTrue(result.isSuccess());
        assertEquals(limit, result.stdout().size());
        assertEquals(total, result.stdout().totalBytes());
        assertTrue(result.stdout().truncated());
        assertEquals("done\n", result.stderr().text());
    }

    @ContractTest
    void sendsEndOfInputSoCommandsReadingStdinFinish(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("cat; echo after-eof").withTimeout(java.time.Duration.ofSeconds(20)));
        assertEquals("after-eof\n", result.stdout().text());
    }

    /**
     * Only OpenSSH reports exit-signal; the in-process test server runs commands through java.lang.Process, which
     * cannot tell a signal from an exit code.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void reportsTheSignalThatKilledACommand(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER), Command.of("kill -TERM $$"));
        ExitStatus.Signaled signaled = assertInstanceOf(ExitStatus.Signaled.class, result.exitStatus());
        assertEquals("TERM", signaled.signal());
    }

    @ContractTest
    void passesUtf8CommandLinesThrough(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER), Command.of("echo 'héllo wörld ✓'"));
        assertEquals("héllo wörld ✓\n", result.stdout().text());
        assertArrayEquals("héllo wörld ✓\n".getBytes(StandardCharsets.UTF_8), result.stdout().bytes());
    }
}
