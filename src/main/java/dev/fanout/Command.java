package dev.fanout;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A shell command to run on a host, with its options.
 *
 * @param text the command line, passed to the login shell as OpenSSH's {@code ssh host 'text'} does
 * @param timeout a limit for this command, overriding {@link Timeouts#command()}
 * @param check when true a non-zero exit becomes {@code CommandFailedException} instead of a result
 */
public record Command(String text, Optional<Duration> timeout, boolean check) {

    /** Rejects a blank command and a non-positive timeout. */
    public Command {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(timeout, "timeout");
        if (text.isBlank()) {
            throw new IllegalArgumentException("command must not be blank");
        }
        timeout.ifPresent(limit -> {
            if (limit.isZero() || limit.isNegative()) {
                throw new IllegalArgumentException("timeout of '" + text + "' must be positive: " + limit);
            }
        });
    }

    /** A command with the default timeout, not checked. */
    public static Command of(String text) {
        return new Command(text, Optional.empty(), false);
    }

    /** This command with its own timeout. */
    public Command withTimeout(Duration limit) {
        return new Command(text, Optional.of(limit), check);
    }

    /** This command, with a non-zero exit turned into {@code CommandFailedException}. */
    public Command checked() {
        return new Command(text, timeout, true);
    }
}
