package dev.fanout.internal.agent;

import dev.fanout.Credentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;

/**
 * The agents one connection attempt talks to, one {@link AgentLink} per socket, made when first needed; and what
 * they did, for the message of a login that failed. Thread-safe.
 */
public final class AgentLinks implements AutoCloseable {

    private final Duration limit;
    private final ScheduledExecutorService timer;
    private final Map<Path, AgentLink> links = new ConcurrentHashMap<>();

    /**
     * @param limit how long an agent may take to answer one request (the auth timeout)
     * @param timer runs the closing of unanswered connections
     */
    public AgentLinks(Duration limit, ScheduledExecutorService timer) {
        this.limit = limit;
        this.timer = timer;
    }

    /** The link to the agent on this socket. */
    public AgentLink forSocket(Path socket) {
        return links.computeIfAbsent(socket, path -> new AgentLink(path, limit, timer));
    }

    /**
     * The methods tried, as {@link dev.fanout.error.AuthenticationFailedException} names them: the credentials'
     * SSH method names, then what each agent asked did ({@code publickey,password; ssh-agent /run/a.sock offered
     * no keys (it is empty or locked)}).
     */
    public String methodsTried(Credentials credentials) {
        List<String> outcomes = links.values().stream().map(AgentLink::outcome).flatMap(Optional::stream)
                .sorted().toList();
        return Stream.concat(Stream.of(credentials.preferredAuthentications()), outcomes.stream())
                .reduce((first, next) -> first + "; " + next).orElseThrow();
    }

    /** Whether an agent left a request unanswered for the whole limit (the auth timeout). */
    public boolean timedOut() {
        return links.values().stream().anyMatch(AgentLink::timedOut);
    }

    /** Whether a request to any agent failed. */
    public boolean failed() {
        return links.values().stream().anyMatch(AgentLink::failed);
    }

    /** Closes every link: connections still open are closed, no new one is made. */
    @Override
    public void close() {
        links.values().forEach(AgentLink::close);
    }
}
