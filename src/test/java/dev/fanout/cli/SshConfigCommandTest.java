package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.testing.ContractServer;
import dev.fanout.testing.FanoutProcess;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.SshAgent;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The command line's OpenSSH client config ({@code -F}, {@code --no-ssh-config}) and agent ({@code --agent},
 * {@code --no-agent}, {@code SSH_AUTH_SOCK}) options, against the real sshd, with a throwaway config.
 */
class SshConfigCommandTest {

    @TempDir
    Path dir;

    private OpenSshServer server;
    private Path key;

    @BeforeEach
    void server() throws Exception {
        server = (OpenSshServer) ContractServer.OPENSSH.server();
        key = TestKeys.generate(dir, TestKeys.Format.OPENSSH_ED25519, "");
        server.authorize(Path.of(key + ".pub"));
    }

    /**
     * A config whose alias {@code fanout-alias} is the real sshd, logging in as its key user with the key; then the
     * lines given.
     */
    private Path config(String... more) throws Exception {
        List<String> lines = new ArrayList<>(List.of(
                "Host fanout-alias",
                "    HostName 127.0.0.1",
                "    Port " + server.host(TestServer.KEY_USER).port(),
                "    User " + TestServer.KEY_USER,
                "    IdentityFile " + key,
                "    UserKnownHostsFile " + server.knownHosts()));
        lines.addAll(List.of(more));
        return Files.write(dir.resolve("config"), lines);
    }

    /** Keywords fanout ignores are said once each, however often they appear, as warnings of the command. */
    @Test
    void warnsOnceAboutEachKeywordItIgnores() throws Exception {
        Path file = config("    ForwardAgent yes", "    Compression yes", "Host other", "    ForwardAgent no",
                "Match user nobody", "    Port 2222");
        CliRun run = CliRun.of("run", "-F", file.toString(), "-H", "fanout-alias", "--no-progress", "-c", "true");
        assertEquals(0, run.exitCode(), run.err());
        String prefix = "fanout run: warning: ssh config: " + file;
        assertEquals(List.of(prefix + ":7: forwardagent is ignored by fanout (said once per keyword)",
                prefix + ":8: compression is ignored by fanout (said once per keyword)",
                prefix + ":11: Match is not supported by fanout; its block is skipped"),
                run.err().lines().filter(line -> line.contains("ssh config")).toList(), run.err());
    }

    /** ssh's way: the alias, its user, port and key all from the config; no credential option needed. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void runsOnAnAliasWithEverythingFromTheConfig(TestDriver driver) throws Exception {
        CliRun run = CliRun.of("run", "-F", config().toString(), "-H", "fanout-alias", "--driver", driver.id(),
                "--no-progress", "-c", "echo $USER");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("fanout-alias:" + server.host(TestServer.KEY_USER).port() + ": "
                + TestServer.KEY_USER), run.out());
    }

    /** As ssh's -l, an explicit -u wins over the config's User (and this user has no key there: refused). */
    @Test
    void letsAnExplicitUserWinOverTheConfig() throws Exception {
        CliRun run = CliRun.of("run", "-F", config().toString(), "-H", "fanout-alias", "-u", TestServer.KBD_USER,
                "--no-progress", "-c", "true");
        assertEquals(1, run.exitCode(), run.err());
        String label = TestServer.KBD_USER + "@fanout-alias:" + server.host(TestServer.KEY_USER).port();
        assertTrue(run.out().contains(label) && run.out().contains("authentication failed"), run.out());
    }

    /** Without the config, the alias is just a name: the current user, port 22, and nothing to log in with. */
    @Test
    void readsNoConfigWithNoSshConfig() throws Exception {
        CliRun run = CliRun.of("run", "--no-ssh-config", "--no-agent", "-H", "fanout-alias", "--no-progress", "-c",
                "true");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("no credentials for " + System.getProperty("user.name") + "@fanout-alias:22"),
                run.err());
        CliRun both = CliRun.of("run", "-F", config().toString(), "--no-ssh-config", "-H", "fanout-alias", "-c",
                "true");
        assertEquals(2, both.exitCode(), both.err());
        assertTrue(both.err().contains("give -F FILE or --no-ssh-config, not both"), both.err());
    }

    @Test
    void refusesABadConfigNamingFileAndLine() throws Exception {
        Path bad = Files.write(dir.resolve("bad"), List.of("Host *", "    Port twenty-two"));
        CliRun run = CliRun.of("run", "-F", bad.toString(), "-H", "web1", "--no-progress", "-c", "true");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(bad + ":2: bad port 'twenty-two'"), run.err());
    }

    /**
     * As ssh, the agent SSH_AUTH_SOCK names is used without being asked for; {@code --no-agent} turns it off. A
     * process of its own, for its environment.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void usesTheAgentOfSshAuthSockUnlessToldNot(TestDriver driver) throws Exception {
        try (SshAgent agent = SshAgent.start(dir)) {
            agent.add(key);
            String host = server.host(TestServer.KEY_USER).toString();
            List<String> args = new ArrayList<>(List.of("run", "--no-ssh-config", "--driver", driver.id(), "-H", host,
                    "--known-hosts", server.knownHosts().toString(), "--no-progress", "-c", "echo $USER"));
            Finished withAgent = run(args, agent.socket());
            assertEquals(0, withAgent.exitCode(), withAgent.output());
            assertTrue(withAgent.output().contains("127.0.0.1:" + server.host(TestServer.KEY_USER).port() + ": "
                    + TestServer.KEY_USER), withAgent.output());
            args.add("--no-agent");
            Finished without = run(args, agent.socket());
            assertEquals(2, without.exitCode(), without.output());
            assertTrue(without.output().contains("no credentials for " + host), without.output());
        }
    }

    /**
     * ssh's own way: no -F, the config of the user's home ({@code ~/.ssh/config}, here a throwaway home given to the
     * process as its {@code user.home}), with an Include of {@code conf.d/*.conf} relative to {@code ~/.ssh}, Host
     * patterns with a negation, {@code ~} in IdentityFile, and the home's known_hosts.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(TestDriver.class)
    void readsTheConfigOfTheUsersHome(TestDriver driver) throws Exception {
        int port = server.host(TestServer.KEY_USER).port();
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path home = Files.createDirectories(dir.resolve("home"));
        Path ssh = Files.createDirectories(home.resolve(".ssh"));
        Files.copy(key, ssh.resolve("id_fanout"));
        Files.writeString(ssh.resolve("known_hosts"), "[127.0.0.1]:" + port + " " + server.hostKeyLine() + "\n");
        Files.write(Files.createDirectories(ssh.resolve("conf.d")).resolve("10-web.conf"), List.of(
                "Host web-* !web-down",
                "    HostName 127.0.0.1",
                "    Port " + port,
                "Host web-down",
                "    HostName 127.0.0.1",
                "    Port " + closed));
        Files.write(ssh.resolve("config"), List.of(
                "Include conf.d/*.conf",
                "Host *",
                "    User " + TestServer.KEY_USER,
                "    IdentityFile ~/.ssh/id_fanout"));
        ProcessBuilder builder = FanoutProcess.builder(List.of("-Duser.home=" + home), List.of("run", "--driver",
                driver.id(), "-H", "web-a,web-b,web-down", "--no-progress", "-c", "echo $USER"));
        builder.environment().put("HOME", home.toString());
        builder.environment().remove("SSH_AUTH_SOCK");
        Finished run = run(builder);
        assertEquals(1, run.exitCode(), run.output());
        for (String alias : List.of("web-a", "web-b")) {
            assertTrue(run.output().contains(alias + ":" + port + ": " + TestServer.KEY_USER), run.output());
        }
        assertTrue(run.output().contains("web-down:" + closed + ": ") && run.output().contains("connection refused"),
                run.output());
    }

    /**
     * An SSH_AUTH_SOCK whose agent is gone costs nothing when nobody asked for the agent (a warning, the key logs
     * in); asked for with --agent, it is a usage error naming the socket.
     */
    @Test
    void skipsAStaleSshAuthSockUnlessTheAgentIsAskedFor() throws Exception {
        Path stale = dir.resolve("gone.sock");
        List<String> args = new ArrayList<>(List.of("run", "--no-ssh-config", "-H",
                server.host(TestServer.KEY_USER).toString(), "--identity", key.toString(), "--known-hosts",
                server.knownHosts().toString(), "--no-progress", "-c", "echo $USER"));
        Finished implicit = run(args, stale);
        assertEquals(0, implicit.exitCode(), implicit.output());
        assertTrue(implicit.output().contains("fanout run: warning: ssh-agent socket " + stale
                + " (SSH_AUTH_SOCK) does not exist (is the agent running?); its keys are not offered"),
                implicit.output());
        args.add("--agent");
        Finished asked = run(args, stale);
        assertEquals(2, asked.exitCode(), asked.output());
        assertTrue(asked.output().contains("fanout run: ssh-agent socket " + stale + " (SSH_AUTH_SOCK) does not "
                + "exist"), asked.output());
    }

    /** What a fanout process returned and printed (stdout and stderr together). */
    private record Finished(int exitCode, String output) {
    }

    private Finished run(List<String> args, Path agentSocket) throws Exception {
        ProcessBuilder builder = FanoutProcess.builder(args);
        builder.environment().put("SSH_AUTH_SOCK", agentSocket.toString());
        return run(builder);
    }

    private Finished run(ProcessBuilder builder) throws Exception {
        Path output = Files.createTempFile(dir, "fanout", ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the run ends");
        } finally {
            process.destroyForcibly();
        }
        return new Finished(process.exitValue(), Files.readString(output));
    }
}
