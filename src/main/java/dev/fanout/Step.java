package dev.fanout;

import java.util.Objects;

/** One step of a {@link Task}, run on each host in order on the same session. */
public sealed interface Step permits Step.Exec {

    /** A step that runs a command. */
    static Exec exec(String command) {
        return new Exec(Command.of(command));
    }

    /** A human-readable description, e.g. the command line. */
    String describe();

    /** @param command the command to run */
    record Exec(Command command) implements Step {
        /** Rejects a null command. */
        public Exec {
            Objects.requireNonNull(command, "command");
        }

        @Override
        public String describe() {
            return command.text();
        }
    }
}
