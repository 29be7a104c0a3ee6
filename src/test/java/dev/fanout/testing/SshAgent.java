package dev.fanout.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH {@code ssh-agent} on a socket of its own ({@code ssh-agent -D -a SOCKET}), started for a test and
 * ended by {@link #close()}; keys are added with the real {@code ssh-add}.
 */
public final class SshAgent implements AutoCloseable {

    private final Path socket;
    private final Process process;

    private SshAgent(Path socket, Process process) {
        this.socket = socket;
        this.process = process;
    }

    /** Starts an agent on {@code directory/agent.sock}; returns once it listens (it says so on its first line). */
    public static SshAgent start(Path directory) throws IOException {
        Path socket = directory.resolve("agent.sock");
        Process process = new ProcessBuilder("ssh-agent", "-D", "-a", socket.toString())
                .redirectErrorStream(true).start();
        process.getOutputStream().close();
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String first = output.readLine(); // printed after the socket is bound
        if (first == null || !first.startsWith("SSH_AUTH_SOCK=")) {
            process.destroyForcibly();
            throw new IOException("ssh-agent did not start: " + first);
        }
        return new SshAgent(socket, process);
    }

    /** The agent's socket. */
    public Path socket() {
        return socket;
    }

    /** Adds a private key (not encrypted) with {@code ssh-add}. */
    public void add(Path privateKey) throws IOException, InterruptedException {
        sshAdd(List.of("ssh-add", privateKey.toString()), "");
    }

    /**
     * Locks the agent with {@code ssh-add -x}: it then lists no keys until unlocked. Run in a session of its own
     * ({@code setsid}), without a terminal, ssh-add reads the password from its standard input.
     */
    public void lock(String password) throws IOException, InterruptedException {
        sshAdd(List.of("setsid", "-w", "ssh-add", "-x"), password + "\n" + password + "\n");
    }

    /** Runs an ssh-add command line against this agent. */
    private void sshAdd(List<String> command, String input) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SSH_AUTH_SOCK", socket.toString());
        builder.environment().remove("DISPLAY");
        builder.environment().remove("SSH_ASKPASS");
        Process run = builder.start();
        run.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        run.getOutputStream().close();
        String output = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!run.waitFor(1, TimeUnit.MINUTES) || run.exitValue() != 0) {
            run.destroyForcibly();
            throw new IOException(command + " failed: " + output.strip());
        }
    }

    /** Ends the agent (its socket goes with it). */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new IOException("interrupted while ending ssh-agent", e));
        }
    }
}
