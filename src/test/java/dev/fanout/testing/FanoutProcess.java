package dev.fanout.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts the fanout command line as a separate process, as users do, on this test's JDK and class path. */
public final class FanoutProcess {

    private FanoutProcess() {
    }

    /** {@code java -cp <test class path> dev.fanout.cli.FanoutCommand args...} */
    public static ProcessBuilder builder(List<String> args) {
        return builder(List.of(), args);
    }

    /** {@code java jvmOptions... -cp <test class path> dev.fanout.cli.FanoutCommand args...} */
    public static ProcessBuilder builder(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.fanout.cli.FanoutCommand"));
        command.addAll(args);
        return new ProcessBuilder(command);
    }

    /** A process that ended: its exit code and what it printed, standard output and error together. */
    public record Finished(int exitCode, String output) {
    }

    /**
     * Starts {@code builder} with its standard output and error in {@code log}, waits for it to end (failing the
     * test past {@code limit}, a bound only against a process that never ends) and kills it if it is still there.
     */
    public static Finished runToEnd(ProcessBuilder builder, Path log, Duration limit)
            throws IOException, InterruptedException {
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS),
                    "the process ends: " + builder.command());
        } finally {
            process.destroyForcibly();
        }
        return new Finished(process.exitValue(), Files.readString(log));
    }

    /**
     * {@link #builder(List)} under an open-file limit of {@code files} (soft and hard, so that the JVM cannot raise
     * it), set by {@code sh -c 'ulimit -n'} before the JVM starts.
     */
    public static ProcessBuilder withOpenFileLimit(int files, List<String> args) {
        ProcessBuilder builder = builder(args);
        builder.command().addAll(0, List.of("sh", "-c", "ulimit -n " + files + " && exec \"$@\"", "fanout"));
        return builder;
    }
}
