package dev.fanout.internal.agent;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where the agents of a set of credentials listen, found and checked before any host is contacted: an
 * {@link AuthMethod.Agent} without a socket means {@code $SSH_AUTH_SOCK}, as for {@code ssh}. A socket that is
 * missing, is not a socket or refuses connections is a usage error naming it, never a per-host hang.
 */
public final class AgentSockets {

    /** The environment variable that names the user's agent. */
    public static final String ENVIRONMENT = "SSH_AUTH_SOCK";

    private AgentSockets() {
    }

    /**
     * The credentials with each agent's socket named and checked; the same instance when every agent already names
     * its socket (or there is none).
     *
     * @param environment looks up an environment variable ({@code System::getenv})
     * @throws IllegalArgumentException when {@code SSH_AUTH_SOCK} is needed but unset, or a socket is unusable
     */
    public static Credentials resolve(Credentials credentials, UnaryOperator<String> environment) {
        List<AuthMethod> methods = new ArrayList<>(credentials.methods());
        boolean changed = false;
        for (int i = 0; i < methods.size(); i++) {
            if (methods.get(i) instanceof AuthMethod.Agent agent) {
                Path socket = agent.socket().orElseGet(() -> fromEnvironment(environment));
                requireUsable(socket, agent.socket().isPresent() ? "" : " (" + ENVIRONMENT + ")");
                if (agent.socket().isEmpty()) {
                    methods.set(i, AuthMethod.agent(socket));
                    changed = true;
                }
            }
        }
        return changed ? new Credentials(methods) : credentials;
    }

    /**
     * The credentials without the agents that name no socket (an SSH config picks theirs per host), or empty when
     * nothing else is left.
     */
    public static Optional<Credentials> withoutUnnamedAgents(Credentials credentials) {
        List<AuthMethod> named = credentials.methods().stream()
                .filter(method -> !(method instanceof AuthMethod.Agent agent && agent.socket().isEmpty())).toList();
        if (named.size() == credentials.methods().size()) {
            return Optional.of(credentials);
        }
        return named.isEmpty() ? Optional.empty() : Optional.of(new Credentials(named));
    }

    /** The socket {@code SSH_AUTH_SOCK} names, if set and not empty. */
    public static Optional<Path> fromEnvironmentIfSet(UnaryOperator<String> environment) {
        String value = environment.apply(ENVIRONMENT);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(Path.of(value));
    }

    private static Path fromEnvironment(UnaryOperator<String> environment) {
        return fromEnvironmentIfSet(environment).orElseThrow(() -> new IllegalArgumentException("ssh-agent: "
                + ENVIRONMENT + " is not set; start an agent (eval $(ssh-agent); ssh-add) or name its socket"));
    }

    /**
     * Checks that an agent listens on the socket: it exists, is a socket, and accepts a connection (closed at once).
     *
     * @param note said after the socket's name in messages, e.g. where it came from
     * @throws IllegalArgumentException naming the socket and what is wrong
     */
    public static void requireUsable(Path socket, String note) {
        String name = "ssh-agent socket " + socket + note;
        try {
            BasicFileAttributes attributes = Files.readAttributes(socket, BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isOther() && !attributes.isSymbolicLink()) {
                throw new IllegalArgumentException(name + " is not a socket");
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(name + " does not exist (is the agent running?)", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException(name + " accepts no connection (is the agent running?): "
                    + e.getMessage(), e);
        }
    }
}
