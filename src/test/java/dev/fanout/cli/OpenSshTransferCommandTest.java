package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code fanout copy} and {@code fetch} against a real sshd: without SFTP both work and say they went over exec;
 * with {@code -r}, directory trees both ways, with SFTP and without.
 */
class OpenSshTransferCommandTest {

    private static List<String> args(String command, TestDriver driver, TestServer server, String... extra)
            throws IOException {
        Path password = ContractServers.scratch().resolve("password");
        Files.writeString(password, server.password().reveal() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        List<String> args = new ArrayList<>(List.of(command, "-H", server.host(TestServer.PASSWORD_USER).toString(),
                "--driver", driver.id(), "--password-file", password.toString(), "--known-hosts",
                server.knownHosts().toString(), "--no-progress"));
        args.addAll(List.of(extra));
        return args;
    }

    private static CliRun run(List<String> args) {
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err() + run.out());
        return run;
    }

    private static Path sharedDirectory() throws IOException {
        Path directory = Files.createTempDirectory(Path.of("/tmp"), "fanout-cli-exec");
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
        return directory;
    }

    @ContractTest(servers = ContractServer.OPENSSH_NO_SFTP)
    void copyAndFetchSayTheyWentOverExec(TestDriver driver, TestServer server) throws Exception {
        Path remote = sharedDirectory();
        Path source = ContractServers.scratch().resolve("agent.conf");
        Files.writeString(source, "port 8080\n");
        CliRun copy = run(args("copy", driver, server, "--sha256", source.toString(), remote + "/etc/"));
        assertTrue(copy.out().contains(source + " -> " + remote + "/etc/agent.conf (10 bytes, "), copy.out());
        assertTrue(copy.out().contains(", over exec (no SFTP))\n"), copy.out());
        assertEquals("port 8080\n", Files.readString(remote.resolve("etc/agent.conf")));

        Path local = ContractServers.scratch();
        CliRun fetch = run(args("fetch", driver, server, "--format", "json", remote + "/etc/agent.conf",
                local.toString()));
        List<?> hosts = (List<?>) ((Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(fetch.out()))
                .get("hosts");
        Map<?, ?> step = (Map<?, ?>) ((List<?>) ((Map<?, ?>) hosts.get(0)).get("steps")).get(0);
        assertEquals("exec", step.get("method"), fetch.out());
        assertEquals(10, step.get("bytes"), fetch.out());
    }

    @ContractTest(servers = {ContractServer.OPENSSH, ContractServer.OPENSSH_NO_SFTP})
    void copyAndFetchTreesWithR(TestDriver driver, TestServer server) throws Exception {
        Path remote = sharedDirectory();
        Path tree = Files.createDirectories(ContractServers.scratch().resolve("conf"));
        Files.writeString(Files.createDirectories(tree.resolve("sites")).resolve("default"), "listen 80\n");
        Files.writeString(tree.resolve("nginx.conf"), "worker_processes 2;\n");
        Files.createSymbolicLink(tree.resolve("current"), Path.of("sites"));

        CliRun refused = CliRun.of(args("copy", driver, server, tree.toString(), remote + "/").toArray(String[]::new));
        assertEquals(2, refused.exitCode(), refused.out());
        assertTrue(refused.err().contains(tree + " is a directory: copy it with -r"), refused.err());

        CliRun copy = run(args("copy", driver, server, "-r", tree.toString(), remote + "/etc/"));
        String via = server.name().equals("openssh") ? "" : ", over exec (no SFTP)";
        assertTrue(copy.out().matches("(?s).*: " + tree + " -> " + remote + "/etc/conf \\(2 files, 30 bytes, \\d+ ms"
                + java.util.regex.Pattern.quote(via) + "\\)\n.*"), copy.out());
        assertTrue(copy.out().contains(": skipped current (a symbolic link)\n"), copy.out());
        assertEquals("listen 80\n", Files.readString(remote.resolve("etc/conf/sites/default")));

        Path local = ContractServers.scratch();
        CliRun fetch = run(args("fetch", driver, server, "-r", "--format", "json", remote + "/etc/conf",
                local.toString()));
        List<?> hosts = (List<?>) ((Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(fetch.out()))
                .get("hosts");
        Map<?, ?> step = (Map<?, ?>) ((List<?>) ((Map<?, ?>) hosts.get(0)).get("steps")).get(0);
        assertEquals("download", step.get("type"), fetch.out());
        assertEquals(30, step.get("bytes"), fetch.out());
        Map<?, ?> fetched = (Map<?, ?>) step.get("tree");
        assertEquals(true, fetched.get("complete"), fetch.out());
        assertEquals(2, ((List<?>) fetched.get("files")).size(), fetch.out());
        String host = dev.fanout.Step.localName(server.host(TestServer.PASSWORD_USER));
        assertEquals("worker_processes 2;\n", Files.readString(local.resolve(host).resolve("nginx.conf")));
        assertEquals("listen 80\n", Files.readString(local.resolve(host).resolve("sites/default")));
    }
}
