package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiValuesTest {

    @TempDir
    Path dir;

    @Test
    void parsesHostSpecifications() {
        assertEquals(new Host("web1", 22, "root"), Host.parse("root@web1", null));
        assertEquals(new Host("web1", 2222, "deploy"), Host.parse("web1:2222", "deploy"));
        assertEquals(new Host("::1", 2200, "u"), Host.parse("u@[::1]:2200", null));
        assertEquals(new Host("fe80::1", 22, "u"), Host.parse("u@fe80::1", null));
        assertEquals("u@[::1]:2200", Host.parse("u@[::1]:2200", null).toString());
        assertEquals("[::1]:2200", Host.parse("u@[::1]:2200", null).knownHostsName());
        assertEquals("web1", Host.parse("u@web1", null).knownHostsName());
    }

    @Test
    void rejectsBadHostsNamingTheProblem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Host.parse("u@web1:99999", null))
                .getMessage().contains("99999"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Host.parse("u@web1:ssh", null))
                .getMessage().contains("'ssh'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Host.parse("web1", null))
                .getMessage().contains("no user"));
        assertThrows(IllegalArgumentException.class, () -> Host.parse("u@", null));
        assertThrows(IllegalArgumentException.class, () -> Host.parse("u@[::1", null));
        assertThrows(IllegalArgumentException.class, () -> new Host("a b", 22, "u"));
    }

    @Test
    void secretsNeverPrint() {
        Secret secret = Secret.of("hunter2");
        assertEquals("******", secret.toString());
        assertEquals("hunter2", secret.reveal());
        assertEquals("hunter2", new String(secret.revealBytes(), java.nio.charset.StandardCharsets.UTF_8));
        Credentials credentials = Credentials.password(secret);
        assertFalse(credentials.toString().contains("hunter2"), credentials.toString());
        AuthMethod.PublicKey key = AuthMethod.privateKeyText("deploy key", Secret.of("-----BEGIN KEY"),
                Secret.of("pass"));
        assertEquals("PublicKey[deploy key, encrypted]", key.toString());
    }

    @Test
    void readsSecretsFromTheFirstLineOfAFile() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "s3cret\r\nignored\n");
        assertEquals("s3cret", Secret.fromFile(file).reveal());
    }

    @Test
    void passwordResponderAnswersOnlyPasswordPrompts() {
        KeyboardInteractiveResponder responder = KeyboardInteractiveResponder.password(Secret.of("pw"));
        Host host = Host.of("u", "h");
        var passwordPrompt = new KeyboardInteractiveResponder.Prompt("Password: ", false);
        var codePrompt = new KeyboardInteractiveResponder.Prompt("Verification code: ", false);
        assertEquals(List.of("pw"), responder.respond(host,
                new KeyboardInteractiveResponder.Challenge("", "", List.of(passwordPrompt))));
        assertEquals(List.of("pw"), responder.respond(host, new KeyboardInteractiveResponder.Challenge("", "",
                List.of(new KeyboardInteractiveResponder.Prompt("Passwort: ", false)))));
        assertNull(responder.respond(host,
                new KeyboardInteractiveResponder.Challenge("", "", List.of(passwordPrompt, codePrompt))));
        assertEquals(List.of(), responder.respond(host, new KeyboardInteractiveResponder.Challenge("", "", List.of())));
    }

    @Test
    void credentialsKeepTheirOrder() {
        Secret pw = Secret.of("pw");
        Credentials credentials = Credentials.of(AuthMethod.privateKeyText("k", Secret.of("x"), null))
                .orElse(AuthMethod.password(pw));
        assertEquals("publickey,password", credentials.preferredAuthentications());
        assertEquals("password,keyboard-interactive", Credentials.password(pw).preferredAuthentications());
        assertThrows(IllegalArgumentException.class, () -> new Credentials(List.of()));
    }

    @Test
    void decodesOutputWithoutEverThrowing() {
        Output output = Output.of(new byte[] {'a', (byte) 0xe2, (byte) 0x82}, 10);
        assertEquals("a\uFFFD", output.text());
        assertFalse(output.isValidUtf8());
        assertTrue(output.truncated());
        assertThrows(IllegalArgumentException.class, () -> Output.of(new byte[3], 2));
    }

    @Test
    void rejectsBadTimeoutsAndCommands() {
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Timeouts.DEFAULTS.withConnect(Duration.ZERO)).getMessage().contains("connect"));
        assertThrows(IllegalArgumentException.class, () -> Command.of("  "));
        assertThrows(IllegalArgumentException.class, () -> Command.of("ls").withTimeout(Duration.ofSeconds(-1)));
        assertTrue(Command.of("ls").checked().check());
    }

    @Test
    void exitStatusesSayWhatHappened() {
        assertTrue(ExitStatus.exited(0).isSuccess());
        assertFalse(ExitStatus.exited(1).isSuccess());
        assertFalse(new ExitStatus.Signaled("KILL").isSuccess());
        assertFalse(new ExitStatus.Unknown().isSuccess());
        assertEquals("killed by SIGKILL", new ExitStatus.Signaled("KILL").toString());
    }

    @Test
    void builderRejectsMissingCredentialsUnknownDriversAndAMissingStrictFile() {
        assertTrue(assertThrows(IllegalStateException.class, () -> Fanout.builder().build())
                .getMessage().contains("credentials"));
        Credentials credentials = Credentials.password(Secret.of("pw"));
        Path missing = dir.resolve("absent_known_hosts");
        IllegalArgumentException noFile = assertThrows(IllegalArgumentException.class, () -> Fanout.builder()
                .credentials(credentials).hostKeyPolicy(HostKeyPolicy.strict(missing)).build());
        assertTrue(noFile.getMessage().contains(missing.toString()), noFile.getMessage());
        IllegalArgumentException driver = assertThrows(IllegalArgumentException.class, () -> Fanout.builder()
                .driver("libssh").credentials(credentials).hostKeyPolicy(HostKeyPolicy.acceptAll()).build());
        assertEquals("unknown driver 'libssh'; available: jsch, mina", driver.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fanout.builder().outputLimit(-1));
    }

    @Test
    void acceptNewNeedsNoExistingFile() {
        try (Fanout fanout = Fanout.builder().credentials(Credentials.password(Secret.of("pw")))
                .hostKeyPolicy(HostKeyPolicy.acceptNew(dir.resolve("later/known_hosts"))).driver("jsch").build()) {
            assertEquals("jsch", fanout.driverName());
        }
    }

    @Test
    void transferStepsRejectBadValuesAndNameDownloadsAfterTheirHost() {
        UploadSource bytes = UploadSource.bytes("a.sh", new byte[] {1, 2, 3});
        assertEquals(3, bytes.size());
        assertThrows(IllegalArgumentException.class, () -> Step.upload(bytes, "/opt/agent/"));
        assertThrows(IllegalArgumentException.class, () -> Step.upload(bytes, " "));
        assertThrows(IllegalArgumentException.class, () -> Step.upload(bytes, "/opt/a").withMode(010000));
        assertThrows(IllegalArgumentException.class, () -> Step.upload(bytes, "/opt/a").withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> UploadSource.file(Path.of("/nonexistent/file")));
        assertEquals(0755, Step.upload(bytes, "/opt/a").withMode(0755).mode());
        assertEquals("web01.dc1", Step.localName(new Host("web01.dc1", 22, "root")));
        assertEquals("10.0.0.7_2222", Step.localName(new Host("10.0.0.7", 2222, "root")));
        assertThrows(IllegalArgumentException.class, () -> new StepResult.Transferred(Step.exec("true"),
                new TransferResult("/a", "a", 1, Duration.ZERO, java.util.Optional.empty())));
    }
}
