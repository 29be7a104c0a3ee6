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
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.Processes;
import dev.fanout.testing.StalledUpload;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Transfers to a host whose sshd has no SFTP subsystem (hardened hosts): both drivers fall back to exec, say so in
 * the result, and keep the guarantees of the SFTP path. The server runs on this machine, so the test checks the
 * remote side by reading the files directly.
 */
class ExecTransferContractTest {

    private static Path sharedDirectory() {
        return TransferFixtures.sharedDirectory("fanout-exec");
    }

    private static List<String> names(Path directory) throws IOException {
        try (var entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void uploadAndDownloadGoOverExecWithModeAndChecksum(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        byte[] content = TransferFixtures.randomBytes(3 * 1024 * 1024 + 17, 21);
        String target = root + "/a/b/c/install.sh";
        List<Long> progress = new ArrayList<>();
        Path local = ContractServers.scratch().resolve("back/install.sh");
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferResult up = session.upload(Step.upload(UploadSource.bytes("install.sh", content), target)
                    .withMode(0750).withSha256(), progress::add);
            assertEquals(TransferResult.Method.EXEC, up.method());
            assertEquals(content.length, up.bytes());
            assertEquals(TransferFixtures.sha256(content), up.sha256().orElseThrow());
            TransferResult down = session.download(Step.download(target, local).withSha256(), bytes -> {
            });
            assertEquals(TransferResult.Method.EXEC, down.method());
            assertEquals(content.length, down.bytes());
            assertEquals(TransferFixtures.sha256(content), down.sha256().orElseThrow());
        }
        assertArrayEquals(content, Files.readAllBytes(Path.of(target)));
        assertEquals(PosixFilePermissions.fromString("rwxr-x---"), Files.getPosixFilePermissions(Path.of(target)));
        assertEquals(List.of("install.sh"), names(Path.of(target).getParent()), "no temporary file may be left");
        assertEquals(content.length, progress.get(progress.size() - 1));
        assertArrayEquals(content, Files.readAllBytes(local));
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(local));
        assertEquals(List.of("install.sh"), names(local.getParent()), "no temporary file may be left");
    }

    /**
     * An upload stalled by its source after the first MiB until its time limit aborted it: meanwhile the temporary
     * file is the user's only, and afterwards it is removed (over a new exec channel).
     */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void theTemporaryFileIsPrivateInFlightAndRemovedAfterATimeOut(OpenSshServer server, Fanout fanout)
            throws Exception {
        Path root = sharedDirectory();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER));
                ExecutorService uploader = Executors.newSingleThreadExecutor()) {
            StalledUpload upload = StalledUpload.start(session, root + "/big.bin", Duration.ofSeconds(2), uploader);
            try {
                Path temporary = upload.temporaryFile(root);
                assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(temporary));
                // The time-out closes the channel: the command writing the file (sh and the cat it runs) ends.
                awaitEnd(server.processes(title -> title.equals("cat") || title.contains(temporary.toString())), 2);
                TransferFailedException failure = upload.resume();
                assertEquals(Reason.TIMED_OUT, failure.reason(), failure.getMessage());
                assertFalse(failure.getMessage().contains("left"), failure.getMessage());
            } finally {
                upload.release();
            }
        }
        assertEquals(List.of(), names(root), "the temporary file must be removed");
    }

    /**
     * A download held after its first MiB until its time limit closed the channel (the cat reading the file then
     * ends): it fails as timed out and leaves no local file.
     */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void aDownloadAbortedByItsTimeLimitLeavesNoLocalFile(OpenSshServer server, Fanout fanout) throws Exception {
        Path remote = sharedDirectory().resolve("big.log");
        Files.write(remote, TransferFixtures.randomBytes(16 * 1024 * 1024, 24));
        Path local = ContractServers.scratch().resolve("big.log");
        List<Long> reports = new ArrayList<>();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class, () -> session.download(
                    Step.download(remote.toString(), local).withTimeout(Duration.ofSeconds(2)), bytes -> {
                        if (reports.isEmpty()) {
                            awaitEnd(server.processes(title -> title.equals("cat")), 1);
                        }
                        reports.add(bytes);
                    }));
            assertEquals(Reason.TIMED_OUT, failure.reason(), failure.getMessage());
        }
        // None when the limit passed before the first MiB (a loaded machine).
        assertTrue(reports.size() <= 1, "nothing may be read after the abort: " + reports);
        assertEquals(List.of(), names(local.getParent()), "neither the file nor its temporary file may be there");
    }

    /** Waits for the processes found, {@code most} at most, to end; none found has ended already (a loaded machine). */
    private static void awaitEnd(List<ProcessHandle> processes, int most) {
        assertTrue(processes.size() <= most, processes.toString());
        for (ProcessHandle process : processes) {
            try {
                process.onExit().get(1, TimeUnit.MINUTES);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The temporary file altered after it was written (same size): SHA-256 tells, and nothing is left. */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void anUploadWhoseBytesChangedOnTheHostFailsItsChecksum(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        byte[] content = TransferFixtures.randomBytes(2 * 1024 * 1024 + 3, 22);
        String target = root + "/app.bin";
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException failure = assertThrows(TransferFailedException.class, () -> session.upload(
                    Step.upload(UploadSource.bytes("app.bin", content), target).withSha256(), bytes -> {
                        if (bytes == content.length) { // the last report: the whole file is on the host
                            flipFirstByte(onlyEntry(root));
                        }
                    }));
            assertEquals(Reason.INTEGRITY, failure.reason(), failure.getMessage());
            assertTrue(failure.getMessage().contains("SHA-256 on the host is "), failure.getMessage());
        }
        assertEquals(List.of(), names(root), "neither the target nor the temporary file may be there");
    }

    /** A file changed on the host (same size) after its first MiB was read: SHA-256 tells, nothing is written. */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void aDownloadWhoseFileChangedOnTheHostFailsItsChecksum(TestServer server, Fanout fanout) throws Exception {
        Path remote = sharedDirectory().resolve("data.bin");
        Files.write(remote, TransferFixtures.randomBytes(4 * 1024 * 1024, 23));
        Path local = ContractServers.scratch().resolve("data.bin");
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            List<Long> reports = new ArrayList<>();
            TransferFailedException failure = assertThrows(TransferFailedException.class, () -> session.download(
                    Step.download(remote.toString(), local).withSha256(), bytes -> {
                        if (reports.isEmpty()) {
                            flipFirstByte(remote);
                        }
                        reports.add(bytes);
                    }));
            assertEquals(Reason.INTEGRITY, failure.reason(), failure.getMessage());
        }
        assertEquals(List.of(), names(local.getParent()), "neither the file nor its temporary file may be there");
    }

    private static Path onlyEntry(Path directory) {
        try {
            List<String> entries = names(directory);
            assertEquals(1, entries.size(), entries.toString());
            return directory.resolve(entries.get(0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void flipFirstByte(Path file) {
        try (RandomAccessFile open = new RandomAccessFile(file.toFile(), "rw")) {
            int first = open.read();
            open.seek(0);
            open.write(first ^ 0xff);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Names a shell would read as syntax, options, globs or several words go there and back unchanged, in a
     * directory with such a name; the decoys a glob would match are untouched and no command in a name ran.
     */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void hostileNamesAreTakenLiterally(TestServer server, Fanout fanout) throws Exception {
        String marker = "pwned-" + HexFormat.of().toHexDigits(new Random().nextInt());
        Path root = sharedDirectory().resolve("dir with 'quotes' \"and\"\nnewline");
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> decoys = List.of("aXb", "a", "b");
        for (String decoy : decoys) {
            Files.writeString(root.resolve(decoy), "decoy " + decoy);
        }
        List<String> names = List.of("-rf", "--help", "sp ace", "it's", "dq\"uote", "new\nline", "tab\there",
                "$(touch " + marker + ")", "`touch " + marker + "`", "a*b", "[ab]", "semi;colon&and|pipe>gt",
                "back\\slash", " leading", "trailing ", "ünïcødé", "-");
        Path local = ContractServers.scratch();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            for (int i = 0; i < names.size(); i++) {
                String remote = root + "/" + names.get(i);
                byte[] content = ("content of " + names.get(i)).getBytes(StandardCharsets.UTF_8);
                TransferResult up = session.upload(Step.upload(UploadSource.bytes("f", content), remote).withSha256()
                        .withMode(0640), bytes -> {
                        });
                assertEquals(TransferResult.Method.EXEC, up.method());
                assertArrayEquals(content, Files.readAllBytes(Path.of(remote)), remote);
                assertEquals(PosixFilePermissions.fromString("rw-r-----"),
                        Files.getPosixFilePermissions(Path.of(remote)), remote);
                Path fetched = local.resolve("fetched-" + i);
                session.download(Step.download(remote, fetched).withSha256(), bytes -> {
                });
                assertArrayEquals(content, Files.readAllBytes(fetched), remote);
            }
        }
        for (String decoy : decoys) {
            assertEquals("decoy " + decoy, Files.readString(root.resolve(decoy)), decoy + " must be untouched");
        }
        Set<String> expected = new HashSet<>(names);
        expected.addAll(decoys);
        assertEquals(expected, Set.copyOf(names(root)), "no temporary file may be left, nor a name changed");
        assertFalse(Files.exists(Path.of("/home", TestServer.PASSWORD_USER, marker)), "a name ran as a command");
        assertFalse(Files.exists(root.resolve(marker)), "a name ran as a command");
    }

    /** The host's messages give the reasons SFTP's status codes give. */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void failuresHaveTheirReasons(TestServer server, Fanout fanout) throws Exception {
        Path root = sharedDirectory();
        Processes.run(List.of("mkfifo", "-m", "0666", root.resolve("pipe").toString()));
        Path local = ContractServers.scratch();
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            TransferFailedException missing = assertThrows(TransferFailedException.class,
                    () -> session.download(Step.download(root + "/missing", local.resolve("m")), bytes -> {
                    }));
            assertEquals(Reason.NO_SUCH_FILE, missing.reason(), missing.getMessage());
            TransferFailedException denied = assertThrows(TransferFailedException.class,
                    () -> session.upload(Step.upload(UploadSource.bytes("x", new byte[10]), "/root/fanout-denied"),
                            bytes -> {
                            }));
            assertEquals(Reason.PERMISSION_DENIED, denied.reason(), denied.getMessage());
            TransferFailedException unreadable = assertThrows(TransferFailedException.class,
                    () -> session.download(Step.download("/etc/shadow", local.resolve("s")), bytes -> {
                    }));
            assertEquals(Reason.PERMISSION_DENIED, unreadable.reason(), unreadable.getMessage());
            TransferFailedException fifo = assertThrows(TransferFailedException.class,
                    () -> session.download(Step.download(root + "/pipe", local.resolve("p")), bytes -> {
                    }));
            assertTrue(fifo.getMessage().contains("is a named pipe (FIFO), not a regular file"), fifo.getMessage());
        }
        assertEquals(List.of(), names(local), "nothing may be written locally");
        assertEquals(List.of("pipe"), names(root));
    }

    /**
     * {@code cat} stops at the full disk while the upload still sends (32 MiB to 1 MiB of room), and the session
     * outlives that: the temporary file is removed over it, and a command runs on it. Before, the channel's close
     * could cross JSch's next data packet and OpenSSH then dropped the connection (a race: several uploads).
     */
    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void aFullDiskIsNoSpaceAndLeavesNoTemporaryFile(TestServer server, Fanout fanout) throws Exception {
        Path mount = sharedDirectory();
        Processes.run(List.of("mount", "-t", "tmpfs", "-o", "size=1m,mode=1777", "tmpfs", mount.toString()));
        byte[] content = new byte[32 * 1024 * 1024];
        try (HostSession session = fanout.connect(server.host(TestServer.PASSWORD_USER))) {
            for (int upload = 0; upload < 5; upload++) {
                TransferFailedException failure = assertThrows(TransferFailedException.class,
                        () -> session.upload(Step.upload(UploadSource.bytes("big", content), mount + "/big"),
                                bytes -> {
                                }));
                assertEquals(Reason.NO_SPACE, failure.reason(), failure.getMessage());
                assertEquals(List.of(), names(mount), "the temporary file must be removed: " + failure.getMessage());
                assertTrue(session.exec("true").isSuccess(), "the session must outlive the failed upload");
            }
        } finally {
            Processes.run(List.of("umount", mount.toString()));
        }
    }
}
