package dev.fanout;

import java.util.Arrays;
import java.util.List;

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

    /** This task, going on after a command exits non-zero (exceptions still stop the host). */
    public Task withKeepGoing() {
        return new Task(steps, true);
    }
}
