package dev.fanout.internal;

import dev.fanout.Host;
import dev.fanout.KeyboardInteractiveResponder;
import dev.fanout.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The responder of {@link KeyboardInteractiveResponder#password(Secret)}: a value, equal to another made of the same
 * {@link Secret}, so that two {@code Credentials.password(secret)} are equal and a pooled session serves both.
 *
 * @param password the password typed into password prompts
 */
public record PasswordResponder(Secret password) implements KeyboardInteractiveResponder {

    /** Rejects a null password. */
    public PasswordResponder {
        Objects.requireNonNull(password, "password");
    }

    @Override
    public List<String> respond(Host host, Challenge challenge) {
        List<String> answers = new ArrayList<>();
        for (Prompt prompt : challenge.prompts()) {
            if (!prompt.text().toLowerCase(Locale.ROOT).contains("passw")) {
                return null;
            }
            answers.add(password.reveal());
        }
        return answers;
    }
}
