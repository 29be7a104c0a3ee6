package dev.fanout.fleet;

import java.security.PublicKey;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.server.auth.AsyncAuthException;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.auth.password.PasswordAuthenticator;
import org.apache.sshd.server.auth.pubkey.PublickeyAuthenticator;
import org.apache.sshd.server.session.ServerSession;

/**
 * Authenticates on every simulated host: the fleet's user with its password (password method, or a
 * keyboard-interactive "Password: " prompt) or an authorized key. Password answers come after the auth latency,
 * through MINA's asynchronous authentication, so no thread waits; keys are decided at once, since MINA asks about a
 * key before its signature is checked and allows no asynchronous answer there ({@link FleetUserAuthService} delays
 * the answer to the signed request instead). A host with REJECT_CREDENTIALS refuses everything.
 */
final class FleetAuthenticator implements PasswordAuthenticator, KeyboardInteractiveAuthenticator,
        PublickeyAuthenticator {

    private final FleetRuntime runtime;
    private final List<PublicKey> authorizedKeys;

    FleetAuthenticator(FleetRuntime runtime, List<PublicKey> authorizedKeys) {
        this.runtime = runtime;
        this.authorizedKeys = List.copyOf(authorizedKeys);
    }

    @Override
    public boolean authenticate(String user, String password, ServerSession session) {
        return answer(() -> accepts(session, user) && password.equals(runtime.config().password().reveal()));
    }

    @Override
    public InteractiveChallenge generateChallenge(ServerSession session, String user, String lang,
            String subMethods) {
        InteractiveChallenge challenge = new InteractiveChallenge();
        challenge.setInteractionName("");
        challenge.setInteractionInstruction("");
        challenge.addPrompt("Password: ", false);
        return challenge;
    }

    @Override
    public boolean authenticate(ServerSession session, String user, List<String> responses) {
        return answer(() -> accepts(session, user) && responses.size() == 1
                && responses.get(0).equals(runtime.config().password().reveal()));
    }

    @Override
    public boolean authenticate(String user, PublicKey key, ServerSession session) {
        return accepts(session, user) && authorizedKeys.stream().anyMatch(known -> KeyUtils.compareKeys(known, key));
    }

    private boolean accepts(ServerSession session, String user) {
        return session instanceof FleetSession fleetSession && !fleetSession.host().has(FaultType.REJECT_CREDENTIALS)
                && user.equals(runtime.config().user());
    }

    /** The decision now, or, with auth latency, later through an {@link AsyncAuthException}. */
    private boolean answer(BooleanSupplier decision) {
        long delay = runtime.config().authLatency().sampleNanos();
        boolean accepted = decision.getAsBoolean();
        if (delay == 0) {
            return accepted;
        }
        AsyncAuthException pending = new AsyncAuthException();
        runtime.schedule(delay, () -> pending.setAuthed(accepted));
        throw pending;
    }
}
