package dev.fanout.internal.driver.mina;

import dev.fanout.internal.agent.AgentLink;
import java.io.IOException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Map;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * MINA's agent protocol ({@link AbstractAgentProxy}) over an {@link AgentLink}: the JDK's Unix-domain sockets, each
 * exchange bounded by the auth timeout. MINA's own Unix-domain agent client needs Apache Tomcat's native APR
 * library, and starts a thread per client; this one needs neither. One instance per agent per connection attempt.
 */
final class MinaAgent extends AbstractAgentProxy {

    private final AgentLink link;

    MinaAgent(AgentLink link) {
        super(null);
        this.link = link;
    }

    @Override
    protected Buffer request(Buffer buffer) throws IOException {
        return new ByteArrayBuffer(link.exchange(Arrays.copyOfRange(buffer.array(), buffer.rpos(), buffer.wpos())));
    }

    @Override
    public Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algo, byte[] data)
            throws IOException {
        try {
            return super.sign(session, key, algo, data);
        } catch (IOException e) {
            link.recordFailure("did not sign with its " + algo + " key: " + e.getMessage());
            throw e;
        }
    }

    @Override
    public boolean isOpen() {
        return true;
    }
}
