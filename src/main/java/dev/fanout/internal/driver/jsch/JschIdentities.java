package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.AgentIdentityRepository;
import com.jcraft.jsch.Identity;
import com.jcraft.jsch.IdentityRepository;
import com.jcraft.jsch.SSHAgentConnector;
import com.jcraft.jsch.USocketFactory;
import dev.fanout.internal.agent.AgentLink;
import dev.fanout.internal.agent.AgentLinks;
import dev.fanout.internal.driver.PublicKeyOrder;
import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Vector;

/**
 * The keys one JSch session offers, in the credentials' order: decoded keys (shared by every session) and, at an
 * agent's place, the keys that agent lists when JSch asks. The agent protocol is JSch's ({@code AgentProxy} behind
 * {@link AgentIdentityRepository}); its Unix-domain sockets come from the attempt's {@link AgentLink}, which bounds
 * each exchange by the auth timeout. One instance per session: JSch's agent proxy locks itself for every request,
 * so a shared one would queue every host's login behind one lock.
 */
final class JschIdentities implements IdentityRepository {

    private final PublicKeyOrder<Identity> keys;
    private final AgentLinks agents;

    JschIdentities(PublicKeyOrder<Identity> keys, AgentLinks agents) {
        this.keys = keys;
        this.agents = agents;
    }

    @Override
    public String getName() {
        return "fanout";
    }

    @Override
    public int getStatus() {
        return RUNNING;
    }

    @Override
    @SuppressWarnings("JdkObsolete") // JSch's interface returns a Vector
    public Vector<Identity> getIdentities() {
        Vector<Identity> offered = new Vector<>();
        for (PublicKeyOrder.Entry<Identity> entry : keys.entries()) {
            offered.addAll(entry.keys());
            entry.agent().ifPresent(socket -> offered.addAll(agentKeys(agents.forSocket(socket))));
        }
        return offered;
    }

    private static List<Identity> agentKeys(AgentLink link) {
        List<Identity> listed = List.copyOf(
                new AgentIdentityRepository(new SSHAgentConnector(new LinkSockets(link), link.socket()))
                        .getIdentities());
        link.listed(listed.size());
        return listed;
    }

    @Override
    public boolean add(byte[] identity) {
        return false;
    }

    @Override
    public boolean remove(byte[] blob) {
        return false;
    }

    @Override
    public void removeAll() {
        // The credentials' keys are fixed; an agent's are changed with ssh-add, never through fanout.
    }

    /** JSch's agent connector opens its sockets through the link, which closes one the agent leaves unanswered. */
    private record LinkSockets(AgentLink link) implements USocketFactory {
        @Override
        public SocketChannel connect(Path path) throws IOException {
            return link.open();
        }

        @Override
        public ServerSocketChannel bind(Path path) throws IOException {
            throw new IOException("fanout never serves an agent socket");
        }
    }
}
