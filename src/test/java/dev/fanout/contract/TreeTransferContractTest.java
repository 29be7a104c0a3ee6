package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.Task;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.error.TransferFailedException;
import dev.fanout.error.TransferFailedException.Reason;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.Processes;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Directory trees both ways ({@link Step.UploadTree}, {@link Step.DownloadTree}) through the Task API, with both
 * drivers, against a real sshd with SFTP and one without (exec): modes kept, links and special files skipped and
 * listed, and after a failure the documented state: every file whole or as it was, no temporary file, the files
 * done listed. The server runs on this machine, so the test reads the remote side directly.
 */
class TreeTransferContractTest {

    private static Path sharedDirectory() {
        return TransferFixtures.sharedDirectory("fanout-tree");
    }

    private static TransferResult.Method expectedMethod(ContractTarget target) {
        return target.server().name().equals("openssh") ? TransferResult.Method.SFTP : TransferResult.Method.EXEC;
    }

    private static Path directory(Path path, String mode) throws IOException {
        Files.createDirectories(path);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    private static Path file(Path path, String content, String mode) throws IOException {
        Files.writeString(path, content);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
        return path;
    }

    /** Every entry under {@code root}: its path, kind and mode ({@code d rwxr-x---}), and a file's content. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path path : all.toList()) {
                String mode = Files.isSymbolicLink(path) ? "link"
                        : PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
                String kind = Files.isSymbolicLink(path) ? "l" : Files.isDirectory(path) ? "d"
                        : Files.isRegularFile(path) ? "f" : "s";
                entries.put(root.relativize(path).toString(), kind + " " + mode
                        + (kind.equals("f") ? " " + Files.readString(path) : ""));
            }
        }
        return entries;
    }

    private static void chown(Path path, String user) throws IOException {
        UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
        Files.setOwner(path, owner);
    }

    private static StepResult.TreeTransferred onlyTree(HostResult result) {
        assertEquals(1, result.steps().size(), result.toString());
        return assertInstanceOf(StepResult.TreeTransferred.class, result.steps().get(0));
    }

    @ContractTest(servers = {ContractServer.OPENSSH, ContractServer.OPENSSH_NO_SFTP})
    void treesGoBothWaysKeepingModesAndSkippingLinks(ContractTarget target, Fanout fanout) throws Exception {
        Path local = directory(ContractServers.scratch().resolve("tree"), "rwxr-xr-x");
        file(directory(local.resolve("bin"), "rwxr-xr-x").resolve("run.sh"), "#!/bin/sh\n", "rwxr-xr-x");
        Path conf = directory(local.resolve("conf"), "rwxr-x---");
        file(conf.resolve("app.conf"), "port 8080\n", "rw-r--r--");
        file(conf.resolve("secret.key"), "key\n", "rw-------");
        directory(local.resolve("empty"), "rwx------");
        file(directory(local.resolve("-d *ir 'q'"), "rwxr-xr-x").resolve("it's a *.txt"), "odd\n", "rw-r-----");
        file(local.resolve("README"), "read me\n", "rw-r--r--");
        Files.createSymbolicLink(local.resolve("current"), Path.of("conf"));
        Processes.run(List.of("mkfifo", "-m", "0644", local.resolve("pipe").toString()));
        Path remote = sharedDirectory().resolve("deploy/tree");
        Host host = target.server().host(TestServer.PASSWORD_USER);

        HostResult uploaded = fanout.run(List.of(host), new Task(List.of(
                Step.uploadTree(local, remote.toString()).withSha256()), false)).results().get(0);
        assertEquals(HostStatus.OK, uploaded.status(), uploaded.detail());
        TreeTransferResult up = onlyTree(uploaded).tree();
        assertTrue(up.complete());
        assertEquals(expectedMethod(target), up.method());
        assertEquals(List.of("-d *ir 'q'/it's a *.txt", "README", "bin/run.sh", "conf/app.conf", "conf/secret.key"),
                up.files().stream().map(file -> remote.relativize(Path.of(file.remotePath())).toString()).toList());
        assertTrue(up.files().stream().allMatch(file -> file.sha256().isPresent()), up.files().toString());
        assertEquals(List.of(new TreeTransferResult.Skipped("current", "a symbolic link"),
                new TreeTransferResult.Skipped("pipe", "a special file")), up.skipped());
        Map<String, String> expected = describe(local);
        expected.remove("current");
        expected.remove("pipe");
        assertEquals(expected, describe(remote), "the remote tree: no link, no pipe, no temporary file");

        Files.createSymbolicLink(remote.resolve("bin/link"), Path.of("/etc/passwd"));
        Processes.run(List.of("mkfifo", "-m", "0666", remote.resolve("conf/fifo").toString()));
        Path fetched = ContractServers.scratch().resolve("fetched");
        HostResult downloaded = fanout.run(List.of(host), new Task(List.of(
                Step.downloadTreeEach(remote.toString(), fetched).withSha256()), false)).results().get(0);
        assertEquals(HostStatus.OK, downloaded.status(), downloaded.detail());
        TreeTransferResult down = onlyTree(downloaded).tree();
        assertTrue(down.complete());
        assertEquals(expectedMethod(target), down.method());
        assertEquals(5, down.files().size(), down.files().toString());
        assertEquals(List.of(new TreeTransferResult.Skipped("bin/link", "a symbolic link"),
                new TreeTransferResult.Skipped("conf/fifo", "a named pipe (FIFO)")), down.skipped());
        assertEquals(expected, describe(fetched.resolve(Step.localName(host))), "the fetched tree");
    }

    /**
     * An upload into a tree with a directory the user may not write stops there: the files before it are whole and
     * listed, nothing is in the directory refused, nothing after it was made, no temporary file is left, and the
     * directories on the way got their modes.
     */
    @ContractTest(servers = {ContractServer.OPENSSH, ContractServer.OPENSSH_NO_SFTP})
    void anUploadStoppedByADirectoryItMayNotWriteLeavesWholeFilesOnly(ContractTarget target, Fanout fanout)
            throws Exception {
        Path local = directory(ContractServers.scratch().resolve("tree"), "rwxr-x---");
        Path a = directory(local.resolve("a"), "rwxr-xr-x");
        file(a.resolve("1"), "one\n", "rw-r--r--");
        file(a.resolve("2"), "two\n", "rwxr-xr-x");
        file(directory(local.resolve("b"), "rwxr-xr-x").resolve("x"), "x\n", "rw-r--r--");
        file(directory(local.resolve("c"), "rwxr-xr-x").resolve("y"), "y\n", "rw-r--r--");
        Path remote = directory(sharedDirectory().resolve("tree"), "rwxr-xr-x");
        chown(remote, TestServer.PASSWORD_USER);
        Path refused = directory(remote.resolve("b"), "rwxr-xr-x"); // root's
        file(refused.resolve("old"), "old\n", "rw-r--r--");

        HostResult result = fanout.run(List.of(target.server().host(TestServer.PASSWORD_USER)),
                new Task(List.of(Step.uploadTree(local, remote.toString())), false)).results().get(0);
        assertEquals(HostStatus.FAILED, result.status(), result.detail());
        TransferFailedException failure = assertInstanceOf(TransferFailedException.class,
                result.error().orElseThrow());
        assertEquals(Reason.PERMISSION_DENIED, failure.reason(), failure.getMessage());
        assertTrue(failure.path().startsWith(refused + "/"), failure.getMessage());
        TreeTransferResult tree = onlyTree(result).tree();
        assertFalse(tree.complete());
        assertEquals(List.of(remote + "/a/1", remote + "/a/2"),
                tree.files().stream().map(TransferResult::remotePath).toList());
        assertEquals(Map.of("", "d rwxr-x---", "a", "d rwxr-xr-x", "a/1", "f rw-r--r-- one\n",
                "a/2", "f rwxr-xr-x two\n", "b", "d rwxr-xr-x", "b/old", "f rw-r--r-- old\n"), describe(remote));
    }

    /**
     * A fetch stopped by a file the user may not read: the files before it are whole (with their modes), the file
     * refused and everything after it absent, no temporary file left locally.
     */
    @ContractTest(servers = {ContractServer.OPENSSH, ContractServer.OPENSSH_NO_SFTP})
    void aFetchStoppedByAFileItMayNotReadLeavesWholeFilesOnly(ContractTarget target, Fanout fanout)
            throws Exception {
        Path remote = directory(sharedDirectory().resolve("tree"), "rwxr-xr-x");
        Path a = directory(remote.resolve("a"), "rwxr-xr-x");
        file(a.resolve("1"), "one\n", "rw-r--r--");
        file(a.resolve("2"), "two\n", "rwxr-x---");
        chown(a.resolve("2"), TestServer.PASSWORD_USER);
        file(directory(remote.resolve("b"), "rwxr-xr-x").resolve("secret"), "secret\n", "rw-------"); // root's
        file(directory(remote.resolve("c"), "rwxr-xr-x").resolve("y"), "y\n", "rw-r--r--");
        Host host = target.server().host(TestServer.PASSWORD_USER);
        Path fetched = ContractServers.scratch();

        HostResult result = fanout.run(List.of(host), new Task(List.of(
                Step.downloadTreeEach(remote.toString(), fetched)), false)).results().get(0);
        assertEquals(HostStatus.FAILED, result.status(), result.detail());
        TransferFailedException failure = assertInstanceOf(TransferFailedException.class,
                result.error().orElseThrow());
        assertEquals(Reason.PERMISSION_DENIED, failure.reason(), failure.getMessage());
        TreeTransferResult tree = onlyTree(result).tree();
        assertFalse(tree.complete());
        Path local = fetched.resolve(Step.localName(host));
        assertEquals(List.of(local + "/a/1", local + "/a/2"),
                tree.files().stream().map(TransferResult::localPath).toList());
        assertEquals(Map.of("", "d rwxr-xr-x", "a", "d rwxr-xr-x", "a/1", "f rw-r--r-- one\n",
                "a/2", "f rwxr-x--- two\n", "b", "d rwxr-xr-x"), describe(local));
    }

    /** A directory of the tree the user may not read fails the fetch before anything is written. */
    @ContractTest(servers = {ContractServer.OPENSSH, ContractServer.OPENSSH_NO_SFTP})
    void aTreeThatCannotBeListedWritesNothing(ContractTarget target, Fanout fanout) throws Exception {
        Path remote = directory(sharedDirectory().resolve("tree"), "rwxr-xr-x");
        file(directory(remote.resolve("a"), "rwxr-xr-x").resolve("1"), "one\n", "rw-r--r--");
        directory(remote.resolve("z"), "rwx------"); // root's
        Path fetched = ContractServers.scratch().resolve("out");

        HostResult result = fanout.run(List.of(target.server().host(TestServer.PASSWORD_USER)),
                new Task(List.of(Step.downloadTreeEach(remote.toString(), fetched)), false)).results().get(0);
        assertEquals(HostStatus.FAILED, result.status(), result.detail());
        TransferFailedException failure = assertInstanceOf(TransferFailedException.class,
                result.error().orElseThrow());
        assertEquals(Reason.PERMISSION_DENIED, failure.reason(), failure.getMessage());
        assertEquals(remote + "/z", failure.path());
        TreeTransferResult tree = onlyTree(result).tree();
        assertFalse(tree.complete());
        assertEquals(List.of(), tree.files());
        assertFalse(Files.exists(fetched), "nothing may be written");
    }
}
