package dev.fanout.internal.driver;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.KeyboardInteractiveResponder;
import dev.fanout.KeyboardInteractiveResponder.Challenge;
import dev.fanout.KeyboardInteractiveResponder.Prompt;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Answers the keyboard-interactive rounds of one connection with the credentials' responders, in order: a
 * responder that gives up (null, or the wrong number of answers) passes the round to the next; when all have given
 * up the method is abandoned. Drivers create one per connection attempt.
 */
public final class KeyboardInteractiveAnswers {

    private final Host host;
    private final List<KeyboardInteractiveResponder> responders;
    private final ReentrantLock lock = new ReentrantLock();
    private int current;

    /** Takes the responders of the credentials' keyboard-interactive methods. */
    public KeyboardInteractiveAnswers(Host host, Credentials credentials) {
        this.host = host;
        this.responders = credentials.all(AuthMethod.KeyboardInteractive.class).stream()
                .map(AuthMethod.KeyboardInteractive::responder).toList();
    }

    /** True when the credentials include keyboard-interactive. */
    public boolean available() {
        return !responders.isEmpty();
    }

    /**
     * Answers one round.
     *
     * @param prompt the prompts' texts
     * @param echo whether each answer may be echoed
     * @return one answer per prompt, or null when every responder has given up
     */
    public String[] answer(String name, String instruction, String[] prompt, boolean[] echo) {
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < prompt.length; i++) {
            prompts.add(new Prompt(prompt[i], echo[i]));
        }
        Challenge challenge = new Challenge(name, instruction, prompts);
        lock.lock();
        try {
            while (current < responders.size()) {
                List<String> answers = responders.get(current).respond(host, challenge);
                if (answers != null && answers.size() == prompts.size()) {
                    return answers.toArray(String[]::new);
                }
                current++;
            }
            return null;
        } finally {
            lock.unlock();
        }
    }
}
