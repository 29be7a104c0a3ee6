package dev.fanout.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.opentest4j.TestAbortedException;

/**
 * jq, the JSON processor people rewrite fanout's results with, found on the {@code PATH} ({@code .ci/run} installs
 * it). Where it is missing the tests using it are skipped, except under {@code CI=true}, where that is an error: in
 * CI they must run.
 */
public final class Jq {

    private Jq() {
    }

    /**
     * jq's output for {@code file}: {@code jq ARGS FILE}.
     *
     * @throws IOException if jq fails, naming its exit code and output
     */
    public static String run(Path file, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(program().toString());
        command.addAll(List.of(args));
        command.add(file.toString());
        return Processes.run(command);
    }

    private static Path program() {
        Optional<Path> found = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .filter(directory -> !directory.isEmpty()).map(directory -> Path.of(directory, "jq"))
                .filter(Files::isExecutable).findFirst();
        if (found.isPresent()) {
            return found.get();
        }
        String missing = "jq is not installed (not on the PATH)";
        if ("true".equals(System.getenv("CI"))) {
            throw new IllegalStateException(missing + "; in CI the jq tests must run (see .ci/run)");
        }
        throw new TestAbortedException(missing);
    }
}
