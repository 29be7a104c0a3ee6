package dev.fanout.internal.driver.mina;

import java.io.IOException;
import java.net.InetSocketAddress;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.future.DefaultConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.SessionFactory;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.channel.StreamingChannel;
import org.apache.sshd.common.io.DefaultIoConnectFuture;
import org.apache.sshd.common.io.IoConnectFuture;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * MINA's client, able to open sessions through a bastion with no local port: where MINA's own ProxyJump opens a
 * local port forward per target and a new bastion session per target ({@code SshClient.doConnect} with jumps),
 * this opens a {@code direct-tcpip} channel of a given bastion session and runs the target's session over it
 * ({@link ChannelIoSession}), so one bastion session carries many targets. From the transport on, the connect is
 * MINA's own: the same session factory, the same completion listener, the same connect future as a TCP connect.
 */
final class TunnelingClient extends SshClient {

    /** Where every channel says it comes from: the originator fields of the channel open, as JSch sends them. */
    private static final SshdSocketAddress ORIGINATOR = new SshdSocketAddress("127.0.0.1", 0);

    /** Sessions that do not keep the key exchange's opening messages ({@link KexInitOnceSession}). */
    @Override
    protected SessionFactory createSessionFactory() {
        return new KexInitOnceSession.Factory(this);
    }

    /**
     * Connects to {@code target} as {@code user} through {@code bastion}: the bastion connects to the target (and
     * resolves its name), the handshake then runs end to end. The connect future fails with the channel's open
     * failure ({@code SshChannelOpenException}) when the bastion will not or cannot connect.
     *
     * @param context the connection context, as for {@link SshClient#connect(String, java.net.SocketAddress,
     *     AttributeRepository, java.net.SocketAddress)}
     */
    ConnectFuture connectThrough(String user, ClientSession bastion, SshdSocketAddress target,
            AttributeRepository context) throws IOException {
        InetSocketAddress address = InetSocketAddress.createUnresolved(target.getHostName(), target.getPort());
        ConnectFuture connect = new DefaultConnectFuture(user + "@" + address, null);
        IoConnectFuture transport = new DefaultIoConnectFuture(address, null);
        ChannelDirectTcpip channel = bastion.createDirectTcpipChannel(ORIGINATOR, target);
        channel.setStreaming(StreamingChannel.Streaming.Async);
        connect.addListener(done -> {
            if (done.isCanceled()) {
                transport.cancel();
                channel.close(true);
            }
        });
        transport.addListener(createConnectCompletionListener(connect, user, address,
                KeyIdentityProvider.EMPTY_KEYS_PROVIDER, new HostConfigEntry("", target.getHostName(),
                        target.getPort(), user)));
        channel.open().addListener(opened -> {
            if (!opened.isOpened()) {
                transport.setException(opened.getException());
                return;
            }
            try {
                ChannelIoSession session = new ChannelIoSession(channel, getSessionFactory(), address);
                if (context != null) {
                    session.setAttribute(AttributeRepository.class, context);
                }
                getSessionFactory().sessionCreated(session);
                transport.setSession(session);
                if (transport.getSession() != session) { // cancelled meanwhile
                    session.close(true);
                    return;
                }
                session.startReading();
            } catch (Exception e) {
                channel.close(true);
                transport.setException(e);
            }
        });
        return connect;
    }
}
