package dev.fanout.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.Signal;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs an exec request's command with {@code bash -c} for the in-process MINA server, as sshd does with a bash
 * login shell, with the session's environment ({@code USER}, and every {@code env} request), the channel's input as
 * its stdin, and passes signal requests on to the process. It has no pty: a pty request is ignored.
 */
final class ShellCommand implements Command {

    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ShellCommand(String command) {
        this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", command);
        builder.environment().putAll(env.getEnv());
        process = builder.start();
        Thread.ofPlatform().daemon().start(() -> feedInput(process));
        env.addSignalListener((ch, signal) -> process.destroy(), Signal.TERM, Signal.KILL, Signal.INT);
        Thread.ofPlatform().daemon().start(() -> {
            Thread errPump = Thread.ofPlatform().daemon().start(() -> pump(process.getErrorStream(), err));
            pump(process.getInputStream(), out);
            try {
                errPump.join();
                exit.onExit(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** The channel's input to the process, then end of input (at once for a client that sends none). */
    private void feedInput(Process running) {
        try (OutputStream stdin = running.getOutputStream()) {
            pump(in, stdin);
        } catch (IOException e) {
            // The process ended first.
        }
    }

    private static void pump(InputStream from, OutputStream to) {
        byte[] buffer = new byte[32 * 1024];
        try {
            for (int n; (n = from.read(buffer)) >= 0;) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // The channel closed under us; the process is destroyed with it.
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }
}
