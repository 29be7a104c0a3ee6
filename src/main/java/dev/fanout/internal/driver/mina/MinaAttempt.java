package dev.fanout.internal.driver.mina;

import dev.fanout.error.Phase;
import dev.fanout.internal.agent.AgentLinks;
import dev.fanout.internal.driver.KeyboardInteractiveAnswers;
import dev.fanout.internal.driver.PublicKeyOrder;
import dev.fanout.internal.events.ConnectEvents;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerdict;
import java.security.KeyPair;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * The state of one MINA connection attempt, attached to its session as connection context so that the client's
 * shared callbacks (host key verifier, user interaction, session listener) can find it from MINA's I/O threads.
 */
final class MinaAttempt {

    static final AttributeKey<MinaAttempt> KEY = new AttributeKey<>();

    private final ConnectRequest request;
    private final ConnectEvents events;
    private final KeyboardInteractiveAnswers answers;
    private final PublicKeyOrder<KeyPair> keys;
    private final AgentLinks agents;
    private final CompletableFuture<Boolean> handshake = new CompletableFuture<>();
    private volatile Phase phase = Phase.CONNECT;
    private volatile HostKeyVerdict verdict;
    private volatile Throwable failure;
    private volatile MinaSession through;

    MinaAttempt(ConnectRequest request, PublicKeyOrder<KeyPair> keys, ScheduledExecutorService timer,
            ConnectEvents events) {
        this.request = request;
        this.events = events;
        this.answers = new KeyboardInteractiveAnswers(request.host(), request.credentials());
        this.keys = keys;
        this.agents = new AgentLinks(request.timeouts().auth(), timer);
    }

    ConnectRequest request() {
        return request;
    }

    /** The bastion's session this attempt connects through, or null for a direct connect. */
    MinaSession through() {
        return through;
    }

    /** Connects through this bastion's session. */
    void through(MinaSession bastion) {
        this.through = bastion;
    }

    /** The keys and agents to offer, in the credentials' order. */
    PublicKeyOrder<KeyPair> keys() {
        return keys;
    }

    /** The agents this attempt asks for keys. */
    AgentLinks agents() {
        return agents;
    }

    Phase phase() {
        return phase;
    }

    void enter(Phase next) {
        phase = next;
    }

    HostKeyVerdict verdict() {
        return verdict;
    }

    Throwable failure() {
        return failure;
    }

    /** Completes with true once keys are established, false if the session closed first. */
    CompletableFuture<Boolean> handshake() {
        return handshake;
    }

    boolean verifyHostKey(byte[] keyBlob) {
        phase = Phase.HOST_KEY;
        HostKeyVerdict result = request.hostKeyVerifier().verify(request.hostKeyName(), keyBlob);
        verdict = result;
        return result.trusted();
    }

    void keysEstablished() {
        events.handshakeDone();
        phase = Phase.AUTH;
        handshake.complete(true);
    }

    void failed(Throwable error) {
        if (failure == null) {
            failure = error;
        }
    }

    void closed() {
        handshake.complete(false);
    }

    KeyboardInteractiveAnswers answers() {
        return answers;
    }
}
