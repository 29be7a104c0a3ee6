package dev.fanout;

import java.util.Objects;

/**
 * How a remote command ended: with an exit code, killed by a signal, or without the server saying
 * (some servers and failures send neither). Never a magic number such as -1.
 */
public sealed interface ExitStatus permits ExitStatus.Exited, ExitStatus.Signaled, ExitStatus.Unknown {

    /** True only for {@code Exited(0)}. */
    default boolean isSuccess() {
        return this instanceof Exited exited && exited.code() == 0;
    }

    /** An exit code. */
    static ExitStatus exited(int code) {
        return new Exited(code);
    }

    /**
     * The command exited with a code.
     *
     * @param code the command's exit code, 0..255 on POSIX hosts
     */
    record Exited(int code) implements ExitStatus {
        @Override
        public String toString() {
            return "exit " + code;
        }
    }

    /**
     * The command was killed by a signal.
     *
     * @param signal the signal name without {@code SIG}, e.g. {@code TERM}
     */
    record Signaled(String signal) implements ExitStatus {
        /** Rejects a null name. */
        public Signaled {
            Objects.requireNonNull(signal, "signal");
        }

        @Override
        public String toString() {
            return "killed by SIG" + signal;
        }
    }

    /** The channel closed without an exit status or signal. */
    record Unknown() implements ExitStatus {
        @Override
        public String toString() {
            return "no exit status";
        }
    }
}
