package dev.fanout;

import dev.fanout.internal.PasswordResponder;
import java.util.List;
import java.util.Objects;

/**
 * Answers the prompts of keyboard-interactive authentication (PAM, one-time codes, ...).
 *
 * <p>Called by the driver's I/O code, possibly concurrently for many hosts: implementations must be thread-safe
 * and quick. Returning {@code null}, or a list of the wrong size, abandons this method (the next one is tried).
 */
@FunctionalInterface
public interface KeyboardInteractiveResponder {

    /**
     * Answers one round of prompts.
     *
     * @param host the host asking
     * @param challenge the server's name, instruction and prompts
     * @return one answer per prompt, in order, or {@code null} to give up
     */
    List<String> respond(Host host, Challenge challenge);

    /**
     * A responder that answers prompts asking for a password (their text contains "passw", ignoring case, as in {@code
     * Password:}, {@code Passwort:} or {@code passwd}) with the given password. Any other prompt (a one-time code, a
     * question) makes it give up, so the password is never typed into the wrong prompt. Two made of the same
     * {@link Secret} are equal.
     */
    static KeyboardInteractiveResponder password(Secret password) {
        return new PasswordResponder(password);
    }

    /**
     * One round of keyboard-interactive prompts.
     *
     * @param name the server's name for the round (often empty)
     * @param instruction the server's instruction (often empty)
     * @param prompts the prompts to answer, possibly none
     */
    record Challenge(String name, String instruction, List<Prompt> prompts) {
        /** Copies the prompt list. */
        public Challenge {
            name = Objects.requireNonNullElse(name, "");
            instruction = Objects.requireNonNullElse(instruction, "");
            prompts = List.copyOf(prompts);
        }
    }

    /**
     * One question of a round.
     *
     * @param text what the server asks, e.g. {@code "Verification code: "}
     * @param echo whether the answer may be shown as typed
     */
    record Prompt(String text, boolean echo) {
        /** Rejects a null text. */
        public Prompt {
            Objects.requireNonNull(text, "text");
        }
    }
}
