package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import dev.fanout.internal.driver.TunnelFailures;
import dev.fanout.spi.ConnectRequest;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * A JSch session's connection carried by a {@code direct-tcpip} channel of a bastion's session, as JSch's
 * {@link Proxy} (the stream forwarder of {@code Session.getStreamForwarder}, with no local port): the target
 * session reads and writes the channel's streams, and closing it closes the channel. No thread of its own: JSch's
 * reader thread of the bastion session feeds the channel's input, the target session's writes go out as channel
 * data. Why the channel did not open is kept on the attempt, for {@link JschErrors}.
 */
final class JschTunnel implements Proxy {

    private final JschSession through;
    private final JschAttempt attempt;
    private Channel channel;
    private InputStream in;
    private OutputStream out;

    JschTunnel(JschSession through, JschAttempt attempt) {
        this.through = through;
        this.attempt = attempt;
    }

    /** Opens the channel to {@code host:port} from the bastion, waiting at most {@code timeout} ms for its answer. */
    @Override
    public void connect(SocketFactory unused, String host, int port, int timeout) throws Exception {
        Session bastion = through.jschSession();
        ConnectRequest request = attempt.request();
        try {
            channel = bastion.getStreamForwarder(host, port);
        } catch (JSchException e) {
            attempt.tunnelFailed(TunnelFailures.bastionLost(request, through, JschDriver.NAME, e));
            throw e;
        }
        in = channel.getInputStream();
        out = channel.getOutputStream();
        try {
            channel.connect(timeout);
        } catch (JSchException e) {
            int reason = channel.getExitStatus(); // JSch keeps a refusal's reason code there
            attempt.tunnelFailed(!bastion.isConnected()
                    ? TunnelFailures.bastionLost(request, through, JschDriver.NAME, e)
                    : reason > 0 ? TunnelFailures.refused(request, through, JschDriver.NAME, reason, null, e)
                    : TunnelFailures.noAnswer(request, through, JschDriver.NAME, e));
            throw e;
        }
        attempt.tunnelOpened();
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    /** None: the connection is a channel. */
    @Override
    public Socket getSocket() {
        return null;
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.disconnect();
        }
    }
}
