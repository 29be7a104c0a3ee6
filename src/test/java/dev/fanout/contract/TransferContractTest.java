package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostSession;
import dev.fanout.Step;
import dev.fanout.TransferResult;
import dev.fanout.UploadSource;
import dev.fanout.error.TransferFailedException;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * File transfers over SFTP: the same behaviour from both drivers against both servers. Both servers run on this
 * machine, so the test checks the remote side by reading the files directly.
 */
class TransferContractTest {

    private static final String TARGETS = "dev.fanout.contract.ContractServers#targets";
    private static final String DRIVERS = "dev.fanout.contract.ContractServers#drivers";

    private static Fanout fanout(String driver, TestServer server) {
        return ContractServers.fanout(driver, server, Credentials.password(server.password()));
    }

    /** A directory every test user may write to (the OpenSSH users are not root). */
    private static Path sharedDirectory() {
        try {
            Path directory = Files.createTempDirectory(Path.of("/tmp"), "fanout-sftp");
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void uploadsIntoNewDirectoriesWithModeAndChecksum(String driver, String serverName) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path root = sharedDirectory();
        byte[] content = randomBytes(3 * 1024 * 1024 + 17, 1);
        String target = root + "/a/b/c/install.sh";
        List<Long> progress = new ArrayList<>();
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferResult result = session.upload(Step.upload(UploadSource.bytes("install.sh", content), target)
                    .withMode(0750).withSha256(), progress::add);
            assertEquals(content.length, result.bytes());
            assertEquals(sha256(content), result.sha256().orElseThrow());
            assertEquals("750", session.exec("stat -c %a " + target).stdout().text().strip());
        }
        assertArrayEquals(content, Files.readAllBytes(Path.of(target)));
        try (var names = Files.list(Path.of(target).getParent())) {
            assertEquals(List.of("install.sh"), names.map(path -> path.getFileName().toString()).toList(),
                    "no temporary file may be left");
        }
        assertTrue(progress.size() >= 3, "progress every MiB and at the end: " + progress);
        assertEquals(content.length, progress.get(progress.size() - 1));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void downloadsAFileWithChecksum(String driver, String serverName) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path root = sharedDirectory();
        byte[] content = randomBytes(2 * 1024 * 1024 + 5, 2);
        Path remote = root.resolve("agent.log");
        Files.write(remote, content);
        Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("rw-r--r--"));
        Path local = ContractServers.scratch().resolve("out/agent.log");
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferResult result = session.download(Step.download(remote.toString(), local).withSha256(), bytes -> {
            });
            assertEquals(content.length, result.bytes());
            assertEquals(sha256(content), result.sha256().orElseThrow());
        }
        assertArrayEquals(content, Files.readAllBytes(local));
        try (var names = Files.list(local.getParent())) {
            assertEquals(1, names.count(), "no temporary file may be left");
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void replacesAtomicallySoAReaderNeverSeesAPartialFile(String driver, String serverName) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path target = sharedDirectory().resolve("config.bin");
        byte[] first = randomBytes(4 * 1024 * 1024, 3);
        byte[] second = randomBytes(4 * 1024 * 1024, 4);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> torn = new AtomicReference<>();
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            session.upload(Step.upload(UploadSource.bytes("config.bin", first), target.toString()), bytes -> {
            });
            Thread reader = Thread.ofPlatform().start(() -> {
                while (reading.get()) {
                    try {
                        byte[] seen = Files.readAllBytes(target);
                        reads.incrementAndGet();
                        if (!java.util.Arrays.equals(seen, first) && !java.util.Arrays.equals(seen, second)) {
                            torn.set("a reader saw " + seen.length + " bytes that are neither version");
                        }
                    } catch (NoSuchFileException e) {
                        torn.set("the target vanished during the replace");
                    } catch (IOException e) {
                        torn.set(e.toString());
                    }
                }
            });
            for (int round = 0; round < 3; round++) {
                session.upload(Step.upload(UploadSource.bytes("config.bin", round % 2 == 0 ? second : first),
                        target.toString()), bytes -> {
                        });
            }
            reading.set(false);
            reader.join();
        }
        assertEquals(null, torn.get());
        assertTrue(reads.get() > 3, "the reader must have read during the uploads: " + reads.get());
        assertArrayEquals(second, Files.readAllBytes(target));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void aMissingRemoteFileIsNoSuchFile(String driver, String serverName) {
        TestServer server = ContractServers.server(serverName);
        String missing = sharedDirectory() + "/missing.txt";
        Path local = ContractServers.scratch().resolve("missing.txt");
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class,
                    () -> session.download(Step.download(missing, local), bytes -> {
                    }));
            assertEquals(TransferFailedException.Reason.NO_SUCH_FILE, failure.reason());
            assertEquals(driver, failure.driver());
            assertTrue(failure.getMessage().contains(missing), failure.getMessage());
            assertFalse(Files.exists(local));
        }
    }

    /**
     * JSch reads {@code *?\} in paths as glob characters and escapes; each decoy fits one of the names as a pattern
     * (or as the name with its backslash dropped) and must be left alone.
     */
    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void namesWithGlobCharactersAndBackslashesAreTakenLiterally(String driver, String serverName) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path root = sharedDirectory();
        List<String> decoys = List.of("aXb", "whatX", "backslash", "dXrX");
        for (String decoy : decoys) {
            Files.createDirectories(root.resolve(decoy).getParent());
            Files.writeString(root.resolve(decoy), "decoy " + decoy);
        }
        List<String> names = List.of("a*b", "what?", "back\\slash", "d*r?\\/f*?\\");
        Path local = ContractServers.scratch();
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            for (int i = 0; i < names.size(); i++) {
                String remote = root + "/" + names.get(i);
                byte[] content = ("content of " + names.get(i)).getBytes(StandardCharsets.UTF_8);
                session.upload(Step.upload(UploadSource.bytes("f", content), remote).withSha256(), bytes -> {
                });
                assertArrayEquals(content, Files.readAllBytes(Path.of(remote)), remote);
                Path fetched = local.resolve("fetched-" + i);
                session.download(Step.download(remote, fetched).withSha256(), bytes -> {
                });
                assertArrayEquals(content, Files.readAllBytes(fetched), remote);
            }
        }
        for (String decoy : decoys) {
            assertEquals("decoy " + decoy, Files.readString(root.resolve(decoy)), decoy + " must be untouched");
        }
        try (var entries = Files.list(root)) {
            assertEquals(Set.of("aXb", "whatX", "backslash", "dXrX", "a*b", "what?", "back\\slash", "d*r?\\"),
                    entries.map(path -> path.getFileName().toString()).collect(Collectors.toSet()),
                    "no temporary file may be left, nor a file under a name changed by globbing");
        }
    }

    @ParameterizedTest(name = "{0} -> openssh")
    @MethodSource(DRIVERS)
    void writingWhereTheUserMayNotIsPermissionDenied(String driver) {
        TestServer server = ContractServers.server("openssh");
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class,
                    () -> session.upload(Step.upload(UploadSource.bytes("x", new byte[10]), "/root/fanout-denied"),
                            bytes -> {
                            }));
            assertEquals(TransferFailedException.Reason.PERMISSION_DENIED, failure.reason(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith(server.host(TestServer.PASSWORD_USER) + ": "),
                    failure.getMessage());
        }
    }

    @ParameterizedTest(name = "{0} -> openssh")
    @MethodSource(DRIVERS)
    void aFullDiskIsNoSpaceAndLeavesNoTemporaryFile(String driver) throws Exception {
        TestServer server = ContractServers.server("openssh");
        Path mount = sharedDirectory();
        Processes.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", mount.toString()));
        try (Fanout fanout = fanout(driver, server);
                HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class,
                    () -> session.upload(Step.upload(UploadSource.bytes("big", new byte[3 * 1024 * 1024]),
                            mount + "/big"), bytes -> {
                            }));
            assertEquals(TransferFailedException.Reason.NO_SPACE, failure.reason(), failure.getMessage());
            try (var names = Files.list(mount)) {
                assertEquals(0, names.count(), "the temporary file must be removed");
            }
        } finally {
            Processes.run(List.of("umount", mount.toString()));
        }
    }
}
