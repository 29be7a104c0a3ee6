package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.SocketFactory;
import com.jcraft.jsch.UIKeyboardInteractive;
import com.jcraft.jsch.UserInfo;
import dev.fanout.error.FanoutException;
import dev.fanout.error.Phase;
import dev.fanout.internal.agent.AgentLinks;
import dev.fanout.internal.driver.HostLookup;
import dev.fanout.internal.driver.KeyboardInteractiveAnswers;
import dev.fanout.internal.events.ConnectEvents;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerdict;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The state of one JSch connection attempt, and the callbacks JSch makes during it.
 *
 * <p>Design: JSch lets each session have its own host key repository, user info and socket factory, so one object
 * per attempt plays all three. It answers the host key check with fanout's verifier (no shared JSch repository,
 * so no lock across hosts), answers keyboard-interactive prompts with the caller's responders, opens the TCP
 * connection itself so the connect timeout and the phase are known, and keeps what {@link JschErrors} needs to name
 * the failure: the phase reached, the host key verdict, whether the watchdog fired.
 */
final class JschAttempt implements HostKeyRepository, UserInfo, UIKeyboardInteractive, SocketFactory {

    private final ConnectRequest request;
    private final ConnectEvents events;
    private final KeyboardInteractiveAnswers answers;
    private final AgentLinks agents;
    private volatile Phase phase = Phase.CONNECT;
    private volatile HostKeyVerdict verdict;
    private volatile boolean timedOut;
    private volatile long authStartNanos;
    private volatile Socket socket;
    private volatile FanoutException tunnelFailure;

    JschAttempt(ConnectRequest request, ScheduledExecutorService timer, ConnectEvents events) {
        this.request = request;
        this.events = events;
        this.answers = new KeyboardInteractiveAnswers(request.host(), request.credentials());
        this.agents = new AgentLinks(request.timeouts().auth(), timer);
    }

    ConnectRequest request() {
        return request;
    }

    /** The agents this attempt asks for keys. */
    AgentLinks agents() {
        return agents;
    }

    Phase phase() {
        return phase;
    }

    HostKeyVerdict verdict() {
        return verdict;
    }

    boolean timedOut() {
        return timedOut;
    }

    void markTimedOut() {
        timedOut = true;
    }

    /** When authentication started ({@link System#nanoTime()}), or 0 while still connecting. */
    long authStartNanos() {
        return authStartNanos;
    }

    // SocketFactory: TCP connect within the connect timeout; then the handshake starts.

    /** Looks the name up and connects, both within the one connect timeout. */
    @Override
    public Socket createSocket(String host, int port) throws IOException {
        long start = System.nanoTime();
        Duration limit = request.timeouts().connect();
        InetAddress address = HostLookup.lookup(host, limit);
        long leftMillis = limit.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        if (leftMillis <= 0) {
            throw new SocketTimeoutException("no connection to " + host + " within " + limit.toMillis() + " ms");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), (int) Math.min(leftMillis, Integer.MAX_VALUE));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        phase = Phase.KEY_EXCHANGE;
        this.socket = socket;
        return socket;
    }

    @Override
    public InputStream getInputStream(Socket socket) throws IOException {
        return socket.getInputStream();
    }

    @Override
    public OutputStream getOutputStream(Socket socket) throws IOException {
        return socket.getOutputStream();
    }

    // HostKeyRepository: fanout's verifier decides.

    @Override
    public int check(String host, byte[] key) {
        phase = Phase.HOST_KEY;
        HostKeyVerdict result = request.hostKeyVerifier().verify(request.hostKeyName(), key);
        verdict = result;
        if (result.trusted()) {
            startAuthPhase();
            return OK;
        }
        return result.status() == HostKeyVerdict.Status.CHANGED ? CHANGED : NOT_INCLUDED;
    }

    private void startAuthPhase() {
        events.handshakeDone();
        phase = Phase.AUTH;
        authStartNanos = System.nanoTime();
        if (socket == null) {
            return; // through a bastion: no socket, the watchdog alone bounds authentication
        }
        try {
            socket.setSoTimeout((int) request.timeouts().auth().toMillis());
        } catch (IOException e) {
            // The socket is already broken; the read that follows reports it.
        }
    }

    /** Through a bastion, the channel is open: the handshake starts. */
    void tunnelOpened() {
        phase = Phase.KEY_EXCHANGE;
    }

    /** Through a bastion, the channel did not open, for this reason. */
    void tunnelFailed(FanoutException failure) {
        tunnelFailure = failure;
    }

    /** Why the channel through a bastion did not open, or null. */
    FanoutException tunnelFailure() {
        return tunnelFailure;
    }

    @Override
    public void add(HostKey hostkey, UserInfo ui) {
        // Keys are recorded by the verifier (ACCEPT_NEW), never through JSch.
    }

    @Override
    public void remove(String host, String type) {
        // Never called with StrictHostKeyChecking=yes.
    }

    @Override
    public void remove(String host, String type, byte[] key) {
        // Never called with StrictHostKeyChecking=yes.
    }

    @Override
    public String getKnownHostsRepositoryID() {
        return "fanout";
    }

    @Override
    public HostKey[] getHostKey() {
        return new HostKey[0];
    }

    @Override
    public HostKey[] getHostKey(String host, String type) {
        return new HostKey[0];
    }

    // UserInfo: nothing is ever asked interactively; passwords are set on the session.

    @Override
    public String getPassphrase() {
        return null;
    }

    @Override
    public String getPassword() {
        return null;
    }

    @Override
    public boolean promptPassword(String message) {
        return false;
    }

    @Override
    public boolean promptPassphrase(String message) {
        return false;
    }

    @Override
    public boolean promptYesNo(String message) {
        return false;
    }

    @Override
    public void showMessage(String message) {
        // Server banners are not shown.
    }

    // UIKeyboardInteractive: the caller's responders answer.

    @Override
    public String[] promptKeyboardInteractive(String destination, String name, String instruction, String[] prompt,
            boolean[] echo) {
        return answers.answer(name, instruction, prompt, echo);
    }
}
