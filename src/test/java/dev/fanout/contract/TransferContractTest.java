package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Fanout;
import dev.fanout.HostSession;
import dev.fanout.Step;
import dev.fanout.TransferResult;
import dev.fanout.UploadSource;
import dev.fanout.error.TransferFailedException;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.Processes;
import dev.fanout.testing.StalledUpload;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * File transfers over SFTP: the same behaviour from both drivers against both servers. Both servers run on this
 * machine, so the test checks the remote side by reading the files directly.
 */
class TransferContractTest {

    private static Path sharedDirectory() {
        return TransferFixtures.sharedDirectory("fanout-sftp");
    }

    @ContractTest
    void uploadsIntoNewDirectoriesWithModeAndChecksum(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        byte[] content = TransferFixtures.randomBytes(3 * 1024 * 1024 + 17, 1);
        String target = root + "/a/b/c/install.sh";
        List<Long> progress = new ArrayList<>();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferResult result = session.upload(Step.upload(UploadSource.bytes("install.sh", content), target)
                    .withMode(0750).withSha256(), progress::add);
            assertEquals(content.length, result.bytes());
            assertEquals(TransferFixtures.sha256(content), result.sha256().orElseThrow());
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

    @ContractTest
    void downloadsAFileWithChecksum(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        byte[] content = TransferFixtures.randomBytes(2 * 1024 * 1024 + 5, 2);
        Path remote = root.resolve("agent.log");
        Files.write(remote, content);
        Files.setPosixFilePermissions(remote, PosixFilePermissions.fromString("rw-r--r--"));
        Path local = ContractServers.scratch().resolve("out/agent.log");
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferResult result = session.download(Step.download(remote.toString(), local).withSha256(), bytes -> {
            });
            assertEquals(content.length, result.bytes());
            assertEquals(TransferFixtures.sha256(content), result.sha256().orElseThrow());
        }
        assertArrayEquals(content, Files.readAllBytes(local));
        try (var names = Files.list(local.getParent())) {
            assertEquals(1, names.count(), "no temporary file may be left");
        }
    }

    @ContractTest
    void replacesAtomicallySoAReaderNeverSeesAPartialFile(TestServer server, Fanout fanout) throws Exception {
        Path target = sharedDirectory().resolve("config.bin");
        byte[] first = TransferFixtures.randomBytes(4 * 1024 * 1024, 3);
        byte[] second = TransferFixtures.randomBytes(4 * 1024 * 1024, 4);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> torn = new AtomicReference<>();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
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

    @ContractTest
    void aMissingRemoteFileIsNoSuchFile(TestDriver driver, TestServer server, Fanout fanout) {
        String missing = sharedDirectory() + "/missing.txt";
        Path local = ContractServers.scratch().resolve("missing.txt");
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class,
                    () -> session.download(Step.download(missing, local), bytes -> {
                    }));
            assertEquals(TransferFailedException.Reason.NO_SUCH_FILE, failure.reason());
            assertEquals(driver.id(), failure.driver());
            assertTrue(failure.getMessage().contains(missing), failure.getMessage());
            assertFalse(Files.exists(local));
        }
    }

    /**
     * JSch reads {@code *?\} in paths as glob characters and escapes; each decoy fits one of the names as a pattern
     * (or as the name with its backslash dropped) and must be left alone.
     */
    @ContractTest
    void namesWithGlobCharactersAndBackslashesAreTakenLiterally(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        List<String> decoys = List.of("aXb", "whatX", "backslash", "dXrX");
        for (String decoy : decoys) {
            Files.createDirectories(root.resolve(decoy).getParent());
            Files.writeString(root.resolve(decoy), "decoy " + decoy);
        }
        List<String> names = List.of("a*b", "what?", "back\\slash", "d*r?\\/f*?\\");
        Path local = ContractServers.scratch();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
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

    /**
     * The sftp-server's own log of the requests it served: the temporary file is opened new ({@code EXCL}) with mode
     * 0600, so it never exists with another mode, and gets the upload's mode only once it is whole.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void theTemporaryFileIsCreatedPrivateAndNewAndGetsItsModeOnlyWhenWhole(OpenSshServer server, Fanout fanout)
            throws Exception {
        Path root = sharedDirectory();
        byte[] content = TransferFixtures.randomBytes(300 * 1024, 7);
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            session.upload(Step.upload(UploadSource.bytes("app.conf", content), root + "/app.conf").withMode(0644)
                    .withSha256(), bytes -> {
                    });
        }
        List<String> log = sftpLog(server, root);
        Matcher open = Pattern.compile("open \"(" + Pattern.quote(root + "/.app.conf.fanout-")
                + "[0-9a-f]{8}\\.tmp)\" flags (\\S+) mode (\\d+)").matcher(log.isEmpty() ? "" : log.get(0));
        assertTrue(open.matches(), "the first request on the directory must open the temporary file: " + log);
        assertEquals("WRITE,CREATE,EXCL", open.group(2), log.get(0));
        assertEquals("0600", open.group(3), log.get(0));
        String temporary = "\"" + open.group(1) + "\"";
        List<String> modeChanges = log.stream().filter(line -> line.startsWith("set " + temporary)).toList();
        assertEquals(1, modeChanges.size(), "one mode change: " + log);
        // jsch keeps the file type bits in the mode it sends (100644).
        assertEquals(0644, Integer.parseInt(modeChanges.get(0).replaceAll(".* mode ", ""), 8) & 07777,
                modeChanges.get(0));
        assertTrue(log.indexOf("close " + temporary + " bytes read 0 written " + content.length)
                < log.indexOf(modeChanges.get(0)), "the mode must change after the whole file was written: " + log);
        assertEquals(PosixFilePermissions.fromString("rw-r--r--"),
                Files.getPosixFilePermissions(root.resolve("app.conf")));
    }

    /**
     * An upload stalled by its source after the first MiB until its time limit closed the channel: meanwhile the
     * temporary file is the user's only, and afterwards it is removed (over a new channel).
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void aTimedOutUploadLeavesNoTemporaryFileAndItWasPrivateMeanwhile(OpenSshServer server, Fanout fanout)
            throws Exception {
        Path root = sharedDirectory();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER));
                ExecutorService uploader = Executors.newSingleThreadExecutor()) {
            StalledUpload upload = StalledUpload.start(session, root + "/big.bin", Duration.ofSeconds(2), uploader);
            Path temporary = upload.temporaryFile(root);
            assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(temporary));
            awaitSftpLog(server, root, line -> line.startsWith("forced close \"" + temporary + "\""));
            TransferFailedException failure = upload.resume();
            assertEquals(TransferFailedException.Reason.TIMED_OUT, failure.reason(), failure.getMessage());
            assertFalse(failure.getMessage().contains("left"), failure.getMessage());
        }
        try (var names = Files.list(root)) {
            assertEquals(List.of(), names.toList(), "the temporary file must be removed");
        }
    }

    /** When the session is gone nothing can remove the temporary file: the failure says it was left, and where. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void anUploadWhoseSessionDiedNamesTheTemporaryFileLeft(OpenSshServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER));
                ExecutorService uploader = Executors.newSingleThreadExecutor()) {
            // A limit the test never reaches: the session, not the limit, must end this upload.
            StalledUpload upload = StalledUpload.start(session, root + "/big.bin", Duration.ofMinutes(1), uploader);
            Path temporary = upload.temporaryFile(root);
            server.killSessions();
            TransferFailedException failure = upload.resume();
            assertTrue(failure.getMessage().contains("the temporary file " + temporary + " is left on the host ("),
                    failure.getMessage());
            assertTrue(Files.exists(temporary));
        }
    }

    /** The sftp-server's log lines about paths in {@code directory}. */
    private static List<String> sftpLog(OpenSshServer server, Path directory) throws IOException {
        String inDirectory = "\"" + directory + "/";
        return Files.readAllLines(server.sftpLog()).stream().filter(line -> line.contains(inDirectory)).toList();
    }

    /** Waits for the sftp-server to log a line about {@code directory} that {@code wanted} accepts. */
    private static void awaitSftpLog(OpenSshServer server, Path directory, Predicate<String> wanted)
            throws Exception {
        try (WatchService watcher = FileSystems.getDefault().newWatchService()) {
            server.sftpLog().getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (sftpLog(server, directory).stream().noneMatch(wanted)) {
                assertTrue(System.nanoTime() < deadline, "not logged: " + sftpLog(server, directory));
                WatchKey key = watcher.poll(1, TimeUnit.SECONDS);
                if (key != null) {
                    key.pollEvents();
                    key.reset();
                }
            }
        }
    }

    /**
     * A FIFO (which blocks its reader) and {@code /dev/zero} (which never ends) would hold a fetch until its time
     * limit, the latter filling the local disk meanwhile: they are refused at once, and so is a directory.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void fetchRefusesAtOnceWhatIsNotARegularFile(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        Path fifo = root.resolve("pipe");
        Processes.run(List.of("mkfifo", "-m", "0666", fifo.toString()));
        Files.createDirectories(root.resolve("dir"));
        Map<String, String> refusals = Map.of(
                "/dev/zero", "a character device",
                fifo.toString(), "a named pipe (FIFO)",
                root + "/dir", "a directory");
        Path local = ContractServers.scratch();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                TransferFailedException failure = assertThrows(TransferFailedException.class,
                        () -> session.download(Step.download(refusal.getKey(), local.resolve("out")), bytes -> {
                        }));
                assertEquals(TransferFailedException.Reason.FAILED, failure.reason(), failure.getMessage());
                String expected = refusal.getKey() + ": is " + refusal.getValue() + ", not a regular file";
                assertTrue(failure.getMessage().contains(expected), failure.getMessage());
            }
        }
        try (var names = Files.list(local)) {
            assertEquals(List.of(), names.toList(), "nothing may be written locally");
        }
    }

    /**
     * A log appended to while it is fetched (after the first MiB) is fetched up to the size it had, with a matching
     * SHA-256; the local temporary file is its owner's only while it fills, and so is the file fetched.
     */
    @ContractTest
    void aGrowingFileIsFetchedUpToItsSizeIntoAPrivateFile(TestServer server, Fanout fanout) throws Exception {
        Path remote = sharedDirectory().resolve("growing.log");
        byte[] content = TransferFixtures.randomBytes(4 << 20, 11);
        Files.write(remote, content);
        Path local = ContractServers.scratch().resolve("growing.log");
        List<String> whileFilling = new ArrayList<>();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferResult result = session.download(Step.download(remote.toString(), local).withSha256(), bytes -> {
                if (whileFilling.isEmpty()) {
                    appendAndList(remote, local.getParent(), whileFilling);
                }
            });
            assertEquals(content.length, result.bytes());
            assertEquals(TransferFixtures.sha256(content), result.sha256().orElseThrow());
        }
        assertEquals(content.length + (1 << 20), Files.size(remote), "the file must have grown during the fetch");
        assertArrayEquals(content, Files.readAllBytes(local));
        assertEquals(1, whileFilling.size(), whileFilling.toString());
        assertTrue(whileFilling.get(0).matches("\\.growing\\.log\\.fanout-[0-9a-f]{8}\\.tmp rw-------"),
                whileFilling.toString());
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(local));
    }

    /** Appends a MiB to {@code file} and adds each entry of {@code directory}, with its mode, to {@code entries}. */
    private static void appendAndList(Path file, Path directory, List<String> entries) {
        try {
            Files.write(file, TransferFixtures.randomBytes(1 << 20, 12), StandardOpenOption.APPEND);
            try (var names = Files.list(directory)) {
                for (Path name : names.toList()) {
                    entries.add(name.getFileName() + " "
                            + PosixFilePermissions.toString(Files.getPosixFilePermissions(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void writingWhereTheUserMayNotIsPermissionDenied(TestServer server, Fanout fanout) {
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class,
                    () -> session.upload(Step.upload(UploadSource.bytes("x", new byte[10]), "/root/fanout-denied"),
                            bytes -> {
                            }));
            assertEquals(TransferFailedException.Reason.PERMISSION_DENIED, failure.reason(), failure.getMessage());
            assertTrue(failure.getMessage().startsWith(server.host(TestServer.PASSWORD_USER) + ": "),
                    failure.getMessage());
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void aFullDiskIsNoSpaceAndLeavesNoTemporaryFile(TestServer server, Fanout fanout) throws Exception {
        Path mount = sharedDirectory();
        Processes.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", mount.toString()));
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
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
