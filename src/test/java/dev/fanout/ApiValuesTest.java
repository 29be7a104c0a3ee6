package dev.fanout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * An address goes into known_hosts (where '*', '?', '!' and ',' are patterns) and names the file fetch writes
     * (where '/' and '..' leave the directory): only host names, IPv4 and IPv6 are accepted, and the message names
     * the value with control characters escaped.
     */
    @Test
    void rejectsAddressesThatAreNeitherHostNamesNorIpAddresses() {
        String longLabels = String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63), "d".repeat(62));
        List<String> hostile = List.of("*.example.com", "web?", "!web", "web,db", "|1|c2FsdA==|aGFzaA==", "../etc",
                "..", ".", "a/b", "/etc/passwd", "-oProxyCommand=x", "web-", "_web", "web\u001b[31m", "web\n01",
                "web\u0000", "web\u202e", "a..b", ".web", "web.", "", " ", "web 01", "x".repeat(64) + ".example",
                longLabels, "10.0.0.256", "010.0.0.1", "1.2.3", "123", "[::1]", "::1::2", "1:2:3:4:5:6:7:8:9",
                "1:2:3:4:5:6:7", "12345::1", "::g", "fe80::1%", "fe80::1%eth/0", "1.2.3.4::", "::1.2.3.256",
                "web.dc1.ex\u00e4mple");
        for (String address : hostile) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> new Host(address, 22, "u"), address);
            assertTrue(error.getMessage().startsWith("invalid host address '"), error.getMessage());
            assertFalse(error.getMessage().chars().anyMatch(Character::isISOControl), error.getMessage());
        }
        assertEquals(254, longLabels.length());
        String escaped = assertThrows(IllegalArgumentException.class, () -> new Host("web\u001b[31m", 22, "u"))
                .getMessage();
        assertTrue(escaped.contains("'web\\u001b[31m'"), escaped);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Host("web", 22, "ro\u001bot"))
                .getMessage().contains("'ro\\u001bot'"));
    }

    @Test
    void acceptsHostNamesAndAddressesAndNamesEachDownloadInsideItsDirectory() {
        Path directory = dir.resolve("fetched");
        List<String> valid = List.of("web01.dc1", "WEB-01", "db_1.internal", "localhost", "1e100.net", "x",
                "a".repeat(63) + ".example", String.join(".", "a".repeat(63), "b".repeat(63), "c".repeat(63),
                        "d".repeat(61)),
                "127.0.0.1", "0.0.0.0", "255.255.255.255", "::", "::1", "fe80::1%eth0",
                "2001:db8::ff00:42:8329", "::ffff:192.0.2.128", "1:2:3:4:5:6:7:8", "1::", "1:2:3:4:5:6:7::");
        for (String address : valid) {
            for (int port : new int[] {22, 2222}) {
                Path file = directory.resolve(Step.localName(new Host(address, port, "u")));
                assertEquals(directory, file.getParent(), address);
                assertFalse(file.getFileName().toString().startsWith("."), address);
            }
        }
    }

    /** root@h and deploy@h both download into DIR/h: refused before any host is contacted. */
    @Test
    void refusesTwoHostsDownloadingIntoOneFileBeforeContactingAny() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Fanout fanout = Fanout.builder().credentials(Credentials.password(Secret.of("pw")))
                        .hostKeyPolicy(HostKeyPolicy.acceptAll()).build()) {
            AtomicInteger contacted = new AtomicInteger();
            Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        listener.accept().close();
                        contacted.incrementAndGet();
                    }
                } catch (IOException closed) {
                    // test over
                }
            });
            int port = listener.getLocalPort();
            Host root = new Host("127.0.0.1", port, "root");
            Host deploy = new Host("127.0.0.1", port, "deploy");
            Task fetch = new Task(List.of(Step.exec("true"), Step.downloadEach("/etc/hostname", dir)), false);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> fanout.run(List.of(root, root, deploy), fetch));
            assertTrue(error.getMessage().startsWith(root + " and " + deploy + " would both download into "
                    + dir.resolve("127.0.0.1:" + port)), error.getMessage());
            assertThrows(IllegalArgumentException.class, () -> fanout.run(List.of(Host.of("u", "a"),
                    Host.of("u", "b")), new Task(List.of(Step.download("/etc/hostname", dir.resolve("one"))), false)));
            assertEquals(0, contacted.get(), "no host was contacted");
        }
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

    /** What lets a pooled session serve a later job whose targets are made anew from the same secrets. */
    @Test
    void passwordCredentialsOfTheSameSecretAreEqual() {
        Secret secret = Secret.of("hunter2");
        assertEquals(Credentials.password(secret), Credentials.password(secret));
        assertEquals(Credentials.password(secret).hashCode(), Credentials.password(secret).hashCode());
        assertNotEquals(Credentials.password(secret), Credentials.password(Secret.of("hunter2")),
                "a Secret is equal only to itself");
        assertFalse(Credentials.password(secret).toString().contains("hunter2"));
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
        assertEquals("10.0.0.7:2222", Step.localName(new Host("10.0.0.7", 2222, "root")));
        assertEquals("::1", Step.localName(new Host("::1", 22, "root")));
        assertEquals("[fe80::1%eth0]:2222", Step.localName(new Host("fe80::1%eth0", 2222, "root")));
        assertThrows(IllegalArgumentException.class, () -> new StepResult.Transferred(Step.exec("true"),
                new TransferResult("/a", "a", 1, Duration.ZERO, java.util.Optional.empty(),
                        TransferResult.Method.SFTP)));
    }

    @Test
    void treeStepsRejectBadValuesAndTwoHostsInOneDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        IllegalArgumentException notDirectory = assertThrows(IllegalArgumentException.class,
                () -> Step.uploadTree(file, "/opt/a"));
        assertEquals("not a directory: " + file, notDirectory.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Step.uploadTree(dir, " "));
        assertThrows(IllegalArgumentException.class, () -> Step.downloadTree("", dir));
        assertEquals("/opt/conf", Step.uploadTree(dir, "/opt/conf//").remoteDirectory());
        assertEquals("/", Step.downloadTree("/", dir).remoteDirectory());
        TreeTransferResult tree = new TreeTransferResult("/a", "a", List.of(), List.of(), TransferResult.Method.SFTP,
                Duration.ZERO, true);
        assertThrows(IllegalArgumentException.class, () -> new StepResult.TreeTransferred(
                Step.upload(UploadSource.bytes("a", new byte[1]), "/a"), tree));
        assertThrows(IllegalArgumentException.class, () -> new StepResult.Transferred(Step.uploadTree(dir, "/a"),
                new TransferResult("/a", "a", 1, Duration.ZERO, java.util.Optional.empty(),
                        TransferResult.Method.SFTP)));
        Task fetch = new Task(List.of(Step.downloadTreeEach("/etc/app", dir)), false);
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class, () -> fetch
                .requireDistinctDownloads(List.of(new Host("web1", 22, "root"), new Host("web1", 22, "deploy"))));
        assertTrue(same.getMessage().contains("would both download into " + dir.resolve("web1")), same.getMessage());
        fetch.requireDistinctDownloads(List.of(new Host("web1", 22, "root"), new Host("web2", 22, "root")));
    }
}
