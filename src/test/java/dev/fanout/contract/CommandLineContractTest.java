package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.FanoutProcess;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code fanout run} as a process, against both servers: exit codes, output, the password never shown. */
class CommandLineContractTest {

    /**
     * The CLI's connect limit in these tests: its default (10 s) is for hosts on a network; a command-line JVM
     * started on a machine at load 25 took longer than that for its first key exchange, and no test here is about
     * the limit.
     */
    private static final String LOADED_MACHINE_CONNECT_TIMEOUT = "60s";

    private record Outcome(int exitCode, String out) {
    }

    private static Outcome fanout(List<String> args) throws Exception {
        return fanout(FanoutProcess.builder(args));
    }

    private static Outcome fanout(ProcessBuilder builder) throws Exception {
        Process process = builder.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return new Outcome(process.exitValue(), out);
    }

    @ContractTest
    void runsCommandsAndReportsExitCodes(TestDriver driver, TestServer server) throws Exception {
        Path passwordFile = ContractServers.scratch().resolve("password");
        Files.writeString(passwordFile, server.password().reveal());
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        List<String> common = List.of("run", "-H", server.host(TestServer.KBD_USER).toString(), "--driver", driver.id(),
                "--known-hosts", server.knownHosts().toString(), "--password-file", passwordFile.toString(),
                "--no-progress", "--connect-timeout", LOADED_MACHINE_CONNECT_TIMEOUT);
        List<String> ok = new ArrayList<>(common);
        ok.addAll(List.of("-c", "echo $USER", "-c", "printf 'two\\nlines\\n'"));
        Outcome success = fanout(ok);
        assertEquals(0, success.exitCode(), success.out());
        assertTrue(success.out().contains(": " + TestServer.KBD_USER + "\n"), success.out());
        assertTrue(success.out().contains(": lines\n"), success.out());
        assertTrue(success.out().contains("1 hosts in") && success.out().contains("1 ok"), success.out());

        List<String> failing = new ArrayList<>(common);
        failing.addAll(List.of("-c", "exit 5", "-c", "echo never"));
        Outcome failure = fanout(failing);
        assertEquals(1, failure.exitCode(), failure.out());
        assertTrue(failure.out().contains("FAILED: exit 5: exit 5"), failure.out());
        assertTrue(!failure.out().contains("never") && !failure.out().contains(server.password().reveal()),
                failure.out());
    }

    /**
     * Both drivers offer exactly what the credentials list and connect where the inventory says: a key in
     * {@code ~/.ssh} that the server would accept is never offered in place of a wrong password, and with
     * {@code --no-ssh-config} a {@code ~/.ssh/config} sending every host to another address, port and user is not
     * read (without it the config is read, as ssh reads it: {@code SshConfigCommandTest}).
     */
    @ContractTest
    void ignoresTheUsersOwnSshKeysAndConfig(TestDriver driver, TestServer server) throws Exception {
        Path home = Files.createTempDirectory(ContractServers.scratch(), "home");
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Path authorizedKey = TestKeys.generate(ContractServers.keys(), TestKeys.Type.ED25519);
        Files.copy(authorizedKey, ssh.resolve("id_ed25519"));
        Files.copy(Path.of(authorizedKey + ".pub"), ssh.resolve("id_ed25519.pub"));
        Processes.run(List.of("ssh-keygen", "-q", "-p", "-P", TestKeys.PASSPHRASE, "-N", "",
                "-f", ssh.resolve("id_ed25519").toString()));
        Files.writeString(ssh.resolve("config"), "Host *\n  HostName 127.0.0.2\n  Port 9\n  User nobody\n");
        Path wrongPassword = ContractServers.scratch().resolve("wrong-password");
        Files.writeString(wrongPassword, "wrong-" + server.password().reveal().hashCode());
        Files.setPosixFilePermissions(wrongPassword, PosixFilePermissions.fromString("rw-------"));

        ProcessBuilder asKeyUser = FanoutProcess.builder(List.of("run", "-H",
                server.host(TestServer.KEY_USER).toString(), "--driver", driver.id(), "--known-hosts",
                server.knownHosts().toString(), "--password-file", wrongPassword.toString(), "--no-progress",
                "--connect-timeout", LOADED_MACHINE_CONNECT_TIMEOUT,
                "--no-ssh-config", "--format", "json", "-c", "echo $USER"));
        asKeyUser.command().add(1, "-Duser.home=" + home);
        asKeyUser.environment().remove("SSH_AUTH_SOCK");
        Outcome refused = fanout(asKeyUser);
        assertEquals(1, refused.exitCode(), refused.out());
        assertTrue(refused.out().contains("\"status\":\"failed\""), refused.out());
        assertTrue(refused.out().contains("\"type\":\"auth_failed\""), refused.out());
    }

    private static Path passwordFile(TestServer server) throws Exception {
        Path passwordFile = ContractServers.scratch().resolve("password");
        Files.writeString(passwordFile, server.password().reveal());
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        return passwordFile;
    }

    /**
     * --sudo under requiretty, --sudo-user, --pty and --env (a value given, and one taken from fanout's environment),
     * with -v logging: the outputs are the commands', and the password shows nowhere.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void runsCommandsWithSudoAPtyAndEnvironmentVariables(TestDriver driver, OpenSshServer server) throws Exception {
        server.requireSudo();
        List<String> common = List.of("run", "-H", server.host(OpenSshServer.SUDO_USER).toString(), "--driver",
                driver.id(), "--known-hosts", server.knownHosts().toString(), "--password-file",
                passwordFile(server).toString(), "--no-progress", "--connect-timeout", LOADED_MACHINE_CONNECT_TIMEOUT,
                "-v");
        List<String> sudo = new ArrayList<>(common);
        sudo.addAll(List.of("--sudo", "--env", "FANOUT_MODE=prod", "--env", "FANOUT_TOKEN", "-c",
                "id -un; echo \"$FANOUT_MODE $FANOUT_TOKEN\"", "--format", "json"));
        ProcessBuilder withToken = FanoutProcess.builder(sudo);
        withToken.environment().put("FANOUT_TOKEN", "token-from-env");
        Outcome asRoot = fanout(withToken);
        assertEquals(0, asRoot.exitCode(), asRoot.out());
        assertTrue(asRoot.out().contains("\"stdout\":\"root\\nprod token-from-env\\n\""), asRoot.out());
        assertFalse(asRoot.out().contains(server.password().reveal()), asRoot.out());

        List<String> other = new ArrayList<>(common);
        other.addAll(List.of("--sudo-user", TestServer.PASSWORD_USER, "-c", "id -un"));
        Outcome asOther = fanout(other);
        assertEquals(0, asOther.exitCode(), asOther.out());
        assertTrue(asOther.out().contains(": " + TestServer.PASSWORD_USER + "\n"), asOther.out());
        assertFalse(asOther.out().contains(server.password().reveal()), asOther.out());

        List<String> pty = new ArrayList<>(common);
        pty.addAll(List.of("--pty", "-c", "tty"));
        Outcome onPty = fanout(pty);
        assertEquals(0, onPty.exitCode(), onPty.out());
        assertTrue(onPty.out().contains(": /dev/pts/"), onPty.out());

        List<String> missing = new ArrayList<>(common);
        missing.addAll(List.of("--env", "FANOUT_NOT_SET_ANYWHERE", "-c", "true"));
        Outcome refused = fanout(missing);
        assertEquals(2, refused.exitCode(), refused.out());
        assertTrue(refused.out().contains("--env FANOUT_NOT_SET_ANYWHERE: no variable"), refused.out());
    }

    /** --sudo for a key login: sudo asks for a password the credentials lack, a per-host sudo_failed error. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void sudoWithoutAPasswordIsAClearPerHostError(TestDriver driver, OpenSshServer server) throws Exception {
        server.requireSudo();
        Path key = TestKeys.generate(ContractServers.keys(), TestKeys.Type.ED25519);
        server.authorize(Path.of(key + ".pub"));
        ProcessBuilder builder = FanoutProcess.builder(List.of("run", "-H", server.host(TestServer.KEY_USER)
                .toString(), "--driver", driver.id(), "--known-hosts", server.knownHosts().toString(), "--identity",
                key.toString(), "--passphrase-env", "FANOUT_TEST_PASSPHRASE", "--no-progress", "--connect-timeout",
                LOADED_MACHINE_CONNECT_TIMEOUT, "--format", "json",
                "--sudo", "-c", "id -un"));
        builder.environment().put("FANOUT_TEST_PASSPHRASE", TestKeys.PASSPHRASE);
        Outcome outcome = fanout(builder);
        assertEquals(1, outcome.exitCode(), outcome.out());
        assertTrue(outcome.out().contains("\"type\":\"sudo_failed\""), outcome.out());
        assertTrue(outcome.out().contains("sudo asked for a password, and the host's credentials hold none"),
                outcome.out());
    }

    /**
     * A 100 MB stdin through a client process limited to a 64 MB heap, with each driver: streamed, so the command
     * counts every byte.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void streamsAHundredMegabyteStdinThroughASixtyFourMegabyteHeap(TestDriver driver, TestServer server)
            throws Exception {
        Path big = ContractServers.scratch().resolve("stdin.bin");
        try (java.io.OutputStream out = Files.newOutputStream(big)) {
            byte[] block = new byte[1 << 20];
            for (int i = 0; i < 100; i++) {
                java.util.Arrays.fill(block, (byte) i);
                out.write(block);
            }
        }
        ProcessBuilder builder = FanoutProcess.builder(List.of("run", "-H", server.host(TestServer.PASSWORD_USER)
                .toString(), "--driver", driver.id(), "--known-hosts", server.knownHosts().toString(),
                "--password-file", passwordFile(server).toString(), "--no-progress", "--connect-timeout",
                LOADED_MACHINE_CONNECT_TIMEOUT, "--stdin", big.toString(), "-c",
                "wc -c"));
        builder.command().add(1, "-Xmx64m");
        Outcome outcome = fanout(builder);
        assertEquals(0, outcome.exitCode(), outcome.out());
        assertTrue(outcome.out().contains(": 104857600\n"), outcome.out());
        Files.delete(big);
    }
}
