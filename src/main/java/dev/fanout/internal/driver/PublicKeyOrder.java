package dev.fanout.internal.driver;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.internal.agent.AgentSockets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What a driver offers for {@code publickey} authentication, in the credentials' order: the keys of each private
 * key method, decoded once, and the agents whose keys are asked for when their turn comes. Immutable.
 *
 * @param <K> the driver's decoded key type
 * @param entries one per key or agent method, in the credentials' order
 */
public record PublicKeyOrder<K>(List<Entry<K>> entries) {

    /**
     * One key method's decoded keys, or one agent's socket.
     *
     * @param <K> the driver's decoded key type
     * @param keys the decoded keys (empty for an agent)
     * @param agent the agent's socket (empty for a key)
     */
    public record Entry<K>(List<K> keys, Optional<Path> agent) {
        /** Copies the keys; rejects null components. */
        public Entry {
            keys = List.copyOf(keys);
            Objects.requireNonNull(agent, "agent");
        }
    }

    /** Copies the entries. */
    public PublicKeyOrder {
        entries = List.copyOf(entries);
    }

    /**
     * Decodes every private key of the credentials and names every agent's socket ({@code $SSH_AUTH_SOCK} for an
     * agent that names none).
     *
     * @param decoder decodes one key, throwing {@link IllegalArgumentException} (naming it) when it cannot
     * @throws IllegalArgumentException if a key cannot be decoded, or an agent names no socket and
     *     {@code SSH_AUTH_SOCK} is unset
     */
    public static <K> PublicKeyOrder<K> decode(Credentials credentials,
            Function<AuthMethod.PublicKey, List<K>> decoder) {
        List<Entry<K>> entries = new ArrayList<>();
        for (AuthMethod method : credentials.methods()) {
            if (method instanceof AuthMethod.PublicKey key) {
                entries.add(new Entry<>(decoder.apply(key), Optional.empty()));
            } else if (method instanceof AuthMethod.Agent agent) {
                Path socket = agent.socket().or(() -> AgentSockets.fromEnvironmentIfSet(System::getenv))
                        .orElseThrow(() -> new IllegalArgumentException("ssh-agent: " + AgentSockets.ENVIRONMENT
                                + " is not set"));
                entries.add(new Entry<>(List.of(), Optional.of(socket)));
            }
        }
        return new PublicKeyOrder<>(entries);
    }

    /** Whether there is any key or agent to offer. */
    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
