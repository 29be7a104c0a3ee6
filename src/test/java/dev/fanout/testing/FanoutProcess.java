package dev.fanout.testing;

import java.util.ArrayList;
import java.util.List;

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
