package dev.fanout;

import dev.fanout.internal.Placeholders;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What to do on every host: steps run in order on one session. A host stops at its first failing step (an
 * exception, or a non-zero exit) unless {@code keepGoing}.
 *
 * @param steps at least one step
 * @param keepGoing run the remaining steps after a command exits non-zero
 */
public record Task(List<Step> steps, boolean keepGoing) {

    /** Copies the steps; rejects an empty task. */
    public Task {
        steps = List.copyOf(steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("a task needs at least one step");
        }
    }

    /** Commands run in order, stopping at the first that fails. */
    public static Task of(String... commands) {
        return new Task(Arrays.stream(commands).map(Step::exec).map(Step.class::cast).toList(), false);
    }

    /** Commands run in order, stopping at the first that fails. */
    public static Task of(Command... commands) {
        return new Task(Arrays.stream(commands).map(Step.Exec::new).map(Step.class::cast).toList(), false);
    }

    /**
     * Checks that no two of the hosts download into the same local file or directory, which would have them
     * overwrite each other (with {@link Step#downloadEach}, {@code root@web1} and {@code deploy@web1} both write
     * {@code web1}). A host whose {@link Step.Download#localFile()} (or {@link Step.DownloadTree#localDirectory()})
     * throws or gives null is left to fail in its own transfer.
     *
     * @throws IllegalArgumentException naming both hosts and the file
     */
    public void requireDistinctDownloads(List<Host> hosts) {
        Map<Path, Host> owners = new HashMap<>();
        for (Step step : steps) {
            Function<Host, Path> local = switch (step) {
                case Step.Download download -> download.localFile();
                case Step.DownloadTree tree -> tree.localDirectory();
                default -> null;
            };
            if (local == null) {
                continue;
            }
            for (Host host : hosts) {
                Path target = targetOf(local, host);
                Host owner = target == null ? null : owners.putIfAbsent(target, host);
                if (owner != null && !owner.equals(host)) {
                    throw new IllegalArgumentException(owner + " and " + host + " would both download into " + target
                            + " (a host's file is named after its address and port, not its user): fetch from them "
                            + "in separate runs or into separate files");
                }
            }
        }
    }

    /**
     * Checks that every variable the task's commands use ({@code {{name}}}, see {@link Target}) is set for each
     * target.
     *
     * @throws IllegalArgumentException naming the first target lacking one, the command and the variable
     */
    public void requireVariables(List<Target> targets) {
        for (Target target : targets) {
            for (Step step : steps) {
                Set<String> missing = new LinkedHashSet<>();
                if (step instanceof Step.Exec exec) {
                    missing.addAll(Placeholders.names(exec.command().text()));
                } else if (step instanceof Step.Script script) {
                    missing.addAll(Placeholders.names(script.command().text()));
                    missing.remove("script");
                }
                missing.removeAll(target.vars().keySet());
                if (!missing.isEmpty()) {
                    throw new IllegalArgumentException(target.host() + ": command '" + step.describe() + "' uses {{"
                            + missing.iterator().next() + "}}, which is not set for this host (its variables: "
                            + (target.vars().isEmpty() ? "none"
                                    : String.join(", ", new TreeSet<>(target.vars().keySet())))
                            + ")");
                }
            }
        }
    }

    private static Path targetOf(Function<Host, Path> local, Host host) {
        try {
            Path target = local.apply(host);
            return target == null ? null : target.toAbsolutePath().normalize();
        } catch (RuntimeException failed) {
            return null; // FileTransfers.download reports it as this host's failure.
        }
    }

    /** This task, going on after a command exits non-zero (exceptions still stop the host). */
    public Task withKeepGoing() {
        return new Task(steps, true);
    }
}
