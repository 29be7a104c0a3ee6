package dev.fanout.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs helper programs (ssh-keygen, useradd, ...) for the fixtures, failing loudly with their output. */
public final class Processes {

    private Processes() {
    }

    /** Runs a command to completion (at most one minute); returns its output; throws if it fails. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        return run(command, null);
    }

    /** Runs a command with the given standard input. */
    public static String run(List<String> command, String input) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (input != null) {
            process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command.get(0));
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }
}
