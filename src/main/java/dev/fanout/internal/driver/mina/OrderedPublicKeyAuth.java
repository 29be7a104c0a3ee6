package dev.fanout.internal.driver.mina;

import dev.fanout.internal.agent.AgentLink;
import dev.fanout.internal.driver.PublicKeyOrder;
import java.io.IOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.sshd.client.auth.pubkey.KeyAgentIdentity;
import org.apache.sshd.client.auth.pubkey.KeyPairIdentity;
import org.apache.sshd.client.auth.pubkey.PublicKeyIdentity;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.signature.SignatureFactoriesManager;

/**
 * MINA's {@code publickey} authentication, offering keys in the credentials' order. MINA's own order puts every key
 * of its agent before every other key; here a decoded key is offered at its method's place, and an agent's keys at
 * the agent's, asked for only when their turn comes.
 */
final class OrderedPublicKeyAuth extends UserAuthPublicKey {

    private OrderedPublicKeyAuth(List<NamedFactory<Signature>> signatures) {
        super(signatures);
    }

    /** The factory MINA's client makes this authentication with, in place of its own {@code publickey}. */
    static final class Factory extends UserAuthPublicKeyFactory {
        @Override
        public UserAuthPublicKey createUserAuth(ClientSession session) {
            return new OrderedPublicKeyAuth(getSignatureFactories());
        }
    }

    @Override
    protected Iterator<PublicKeyIdentity> createPublicKeyIterator(ClientSession session,
            SignatureFactoriesManager manager) {
        MinaAttempt attempt = MinaDriver.attempt(session);
        return attempt == null ? Collections.emptyIterator() : new Keys(attempt, session, manager);
    }

    /** The keys to offer, an agent's listed when the iteration reaches it. */
    private static final class Keys implements Iterator<PublicKeyIdentity> {
        private final MinaAttempt attempt;
        private final ClientSession session;
        private final SignatureFactoriesManager manager;
        private final Iterator<PublicKeyOrder.Entry<KeyPair>> entries;
        private final Deque<PublicKeyIdentity> ready = new ArrayDeque<>();

        Keys(MinaAttempt attempt, ClientSession session, SignatureFactoriesManager manager) {
            this.attempt = attempt;
            this.session = session;
            this.manager = manager;
            this.entries = attempt.keys().entries().iterator();
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && entries.hasNext()) {
                PublicKeyOrder.Entry<KeyPair> entry = entries.next();
                entry.keys().forEach(pair -> ready.add(new KeyPairIdentity(manager, session, pair)));
                entry.agent().ifPresent(socket -> agentKeys(attempt.agents().forSocket(socket)));
            }
            return !ready.isEmpty();
        }

        private void agentKeys(AgentLink link) {
            MinaAgent agent = new MinaAgent(link);
            int listed = 0;
            try {
                for (Map.Entry<PublicKey, String> key : agent.getIdentities()) {
                    ready.add(new KeyAgentIdentity(agent, key.getKey(), key.getValue()));
                    listed++;
                }
            } catch (IOException e) {
                link.recordFailure("cannot list its keys: " + e.getMessage());
            }
            link.listed(listed);
        }

        @Override
        public PublicKeyIdentity next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }
    }
}
