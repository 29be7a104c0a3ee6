package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.ExecResult;
import dev.fanout.Fanout;
import dev.fanout.HostResult;
import dev.fanout.HostSession;
import dev.fanout.HostStatus;
import dev.fanout.KeyboardInteractiveResponder;
import dev.fanout.Pty;
import dev.fanout.RunOptions;
import dev.fanout.Secret;
import dev.fanout.Stdin;
import dev.fanout.StepResult;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.error.SudoFailedException;
import dev.fanout.error.TransferFailedException;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * The options of a command, through each driver: environment (exported, or as env requests), a pty, stdin from
 * bytes, a file or a stream, sudo (against the real sshd, whose test set-up has a sudo user under
 * {@code Defaults requiretty}), and the script step.
 */
class ExecOptionsContractTest {

    @ContractTest
    void exportsEnvironmentVariablesEachQuotedAsOneValue(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("printf '%s|%s' \"$FANOUT_A\" \"$FANOUT_B\"").withEnv("FANOUT_A", "a  b")
                        .withEnv("FANOUT_B", "'; echo broke out; $(id)"));
        assertEquals("a  b|'; echo broke out; $(id)", result.stdout().text(), result.stderr().text());
    }

    /**
     * Env requests that the server accepts set the variable without the value ever being on the shell's command line
     * (read back from /proc); exported variables are on it.
     */
    @ContractTest
    void sendsEnvRequestsTheServerAcceptsKeepingValuesOffTheCommandLine(TestServer server, Fanout fanout) {
        String name = OpenSshServer.ACCEPTED_ENV_PREFIX + "TOKEN";
        String script = "echo \"$" + name + "\"; tr '\\0' ' ' < /proc/$$/cmdline";
        ExecResult requested = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of(script).withEnv(name, "value-by-request").withEnvRequests());
        assertTrue(requested.stdout().text().startsWith("value-by-request\n"), requested.stdout().text());
        assertEquals(1, requested.stdout().text().split("value-by-request", -1).length - 1,
                "never on the command line");

        ExecResult exported = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of(script).withEnv(name, "value-exported"));
        assertTrue(exported.stdout().text().startsWith("value-exported\n"), exported.stdout().text());
        assertEquals(2, exported.stdout().text().split("value-exported", -1).length - 1, exported.stdout().text());
    }

    /** OpenSSH drops env requests for names its AcceptEnv does not list, silently, as documented. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void anEnvRequestTheServerRefusesLeavesTheVariableUnset(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("echo \"[${FANOUT_REFUSED-unset}]\"").withEnv("FANOUT_REFUSED", "x").withEnvRequests());
        assertEquals("[unset]\n", result.stdout().text());
    }

    /** A pty of the size asked for, stderr merged into stdout, no CR added before newlines. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void runsOnAPtyOfTheSizeAsked(TestServer server, Fanout fanout) {
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("tty; stty size; echo to-err >&2").withPty(new Pty(100, 30)));
        assertTrue(result.stdout().text().matches("/dev/pts/\\d+\n30 100\nto-err\n"), result.stdout().text());
        assertEquals("", result.stderr().text());
        ExecResult plain = fanout.exec(server.host(TestServer.PASSWORD_USER), Command.of("tty"));
        assertEquals("not a tty\n", plain.stdout().text());
    }

    @ContractTest
    void streamsStdinFromBytesAFileAndAStream(TestServer server, Fanout fanout) throws Exception {
        byte[] binary = new byte[256 * 1024];
        new Random(13).nextBytes(binary);
        Path file = Files.write(ContractServers.scratch().resolve("stdin.bin"), binary);
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(binary));
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            ExecResult bytes = session.exec(Command.of("cat").withStdin(Stdin.bytes(binary)));
            assertArrayEquals(binary, bytes.stdout().bytes());
            ExecResult fromFile = session.exec(Command.of("sha256sum").withStdin(Stdin.file(file)));
            assertEquals(digest + "  -\n", fromFile.stdout().text());
            Stdin once = Stdin.stream(new ByteArrayInputStream(binary));
            assertEquals(binary.length + "\n", session.exec(Command.of("wc -c").withStdin(once)).stdout().text());
            TransferFailedException again = assertThrows(TransferFailedException.class,
                    () -> session.exec(Command.of("wc -c").withStdin(once)));
            assertEquals(TransferFailedException.Reason.LOCAL_IO, again.reason());
            assertTrue(again.getMessage().contains("Stdin.stream serves one host"), again.getMessage());
            assertEquals("still usable\n", session.exec("echo still usable").stdout().text());
        }
    }

    /**
     * Sudo under {@code Defaults requiretty}: the command runs as root (on a pty), the prompt and everything sudo says
     * before the command are stripped, and the password is nowhere in the output; the environment reaches the
     * command inside sudo.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void runsCommandsThroughSudoUnderRequiretty(OpenSshServer server, Fanout fanout) {
        server.requireSudo();
        try (HostSession session = fanout.connect(server.host(OpenSshServer.SUDO_USER))) {
            ExecResult root = session.exec(Command.of("id -un; echo \"$FANOUT_X\"; echo to-err >&2")
                    .withEnv("FANOUT_X", "in sudo").withSudo());
            assertEquals("root\nin sudo\nto-err\n", root.stdout().text());
            assertNoPassword(server, root.stdout().text() + root.stderr().text() + root);
            ExecResult other = session.exec(Command.of("id -un").withSudo(TestServer.PASSWORD_USER));
            assertEquals(TestServer.PASSWORD_USER + "\n", other.stdout().text());
            ExecResult plain = session.exec("id -un; sudo -n true 2>&1 || echo no-cached-sudo");
            assertEquals(OpenSshServer.SUDO_USER + "\nsudo: sorry, you must have a tty to run sudo\nno-cached-sudo\n",
                    plain.stdout().text(), "the server has Defaults requiretty");
        }
    }

    /** With stdin, sudo runs without a pty and reads the password ahead of the input (a user without requiretty). */
    @ContractTest(servers = ContractServer.OPENSSH)
    void runsSudoWithStdinWithoutAPty(OpenSshServer server, Fanout fanout) {
        server.requireSudo();
        ExecResult result = fanout.exec(server.host(TestServer.PASSWORD_USER), Command.of("id -un; tty; cat")
                .withStdin(Stdin.bytes("the input\n".getBytes(StandardCharsets.UTF_8))).withSudo());
        assertEquals("root\nnot a tty\nthe input\n", result.stdout().text());
        assertEquals("", result.stderr().text());
        SudoFailedException refused = assertThrows(SudoFailedException.class, () -> fanout.exec(
                server.host(OpenSshServer.SUDO_USER), Command.of("id -un").withStdin(Stdin.bytes(new byte[0]))
                        .withSudo()));
        assertTrue(refused.getMessage().contains("sudo did not run the command (exit 1)")
                && refused.getMessage().contains("tty"), refused.getMessage());
    }

    /**
     * A wrong sudo password (the login succeeds with keyboard-interactive; sudo gets the credentials' password
     * method): a clear per-host error, and the wrong password is nowhere in the result, its detail or the exception.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void aWrongSudoPasswordIsAClearPerHostError(OpenSshServer server, ContractTarget target) {
        server.requireSudo();
        Secret wrong = Secret.of("wrong-sudo-password-" + System.nanoTime());
        Credentials credentials = Credentials.of(
                AuthMethod.keyboardInteractive(KeyboardInteractiveResponder.password(server.password())),
                AuthMethod.password(wrong));
        Fanout fanout = target.fanout(credentials);
        HostResult result = fanout.run(List.of(server.host(OpenSshServer.SUDO_USER)),
                new Task(List.of(new dev.fanout.Step.Exec(Command.of("touch /root/fanout-never").withSudo())), false),
                RunOptions.defaults()).results().get(0);
        assertEquals(HostStatus.FAILED, result.status(), result.detail());
        SudoFailedException error = assertInstanceOf(SudoFailedException.class, result.error().orElseThrow());
        assertTrue(error.getMessage().contains("sudo refused the password"), error.getMessage());
        assertTrue(result.detail().contains("sudo refused the password"), result.detail());
        String everything = result + result.detail() + error.getMessage() + result.output();
        assertFalse(everything.contains(wrong.reveal()), everything);
        assertNoPassword(server, everything);
    }

    /**
     * The script step: uploaded to a private file (mode 0700), run with the target's variables as arguments, removed
     * afterwards, also when it fails.
     */
    @ContractTest
    void runsALocalScriptWithArgumentsAndRemovesIt(TestServer server, Fanout fanout) throws Exception {
        Path script = Files.writeString(ContractServers.scratch().resolve("hello.sh"),
                "#!/bin/sh\necho \"args: $*\"\nstat -c %a \"$0\"\nexit \"${CODE:-0}\"\n");
        Target target = Target.of(server.host(TestServer.PASSWORD_USER)).withVar("agent_id", "agent 7");
        Task task = new Task(List.of(dev.fanout.Step.script(script, "--id {{agent_id}}"),
                dev.fanout.Step.script(dev.fanout.UploadSource.file(script),
                        dev.fanout.Command.of("CODE=3 sh {{script}} failing"))),
                false);

        HostResult result = fanout.runTargets(List.of(target), task, RunOptions.defaults()).results().get(0);

        assertEquals(HostStatus.FAILED, result.status(), result.detail());
        assertEquals("args: --id agent 7\n700\n", stdout(result, 0));
        assertEquals("args: failing\n700\n", stdout(result, 1));
        assertTrue(result.detail().startsWith("exit 3: CODE=3 sh ./.fanout-script-"), result.detail());
        ExecResult left = fanout.exec(server.host(TestServer.PASSWORD_USER),
                Command.of("ls -A | grep -c '^\\.fanout-script-' || true"));
        assertEquals("0\n", left.stdout().text(), "every script file is removed");
    }

    /** The script step with sudo, against the real sshd. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void runsALocalScriptThroughSudo(OpenSshServer server, Fanout fanout) throws Exception {
        server.requireSudo();
        Path script = Files.writeString(ContractServers.scratch().resolve("whoami.sh"), "#!/bin/sh\nid -un\n");
        HostResult result = fanout.run(List.of(server.host(OpenSshServer.SUDO_USER)), new Task(List.of(
                dev.fanout.Step.script(dev.fanout.UploadSource.file(script), Command.of("{{script}}").withSudo())),
                false), RunOptions.defaults()).results().get(0);
        assertTrue(result.ok(), result.detail());
        assertEquals("root\n", stdout(result, 0));
    }

    private static String stdout(HostResult result, int step) {
        return ((StepResult.Executed) result.steps().get(step)).exec().stdout().text();
    }

    private static void assertNoPassword(TestServer server, String text) {
        assertFalse(text.contains(server.password().reveal()), "the password shows in: " + text);
    }
}
