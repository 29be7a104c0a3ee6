package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.FanoutProcess;
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
                "--no-progress");
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
                "--no-ssh-config", "--format", "json", "-c", "echo $USER"));
        asKeyUser.command().add(1, "-Duser.home=" + home);
        asKeyUser.environment().remove("SSH_AUTH_SOCK");
        Outcome refused = fanout(asKeyUser);
        assertEquals(1, refused.exitCode(), refused.out());
        assertTrue(refused.out().contains("\"status\":\"failed\""), refused.out());
        assertTrue(refused.out().contains("\"type\":\"auth_failed\""), refused.out());
    }
}
