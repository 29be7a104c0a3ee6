package dev.fanout.fleet;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.util.Readable;
import org.apache.sshd.server.ServerFactoryManager;
import org.apache.sshd.server.auth.keyboard.UserAuthKeyboardInteractiveFactory;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerSessionImpl;

/**
 * A server session of one simulated host. It knows its host from the local address the client connected to, offers
 * keyboard-interactive only where the host is set so, and delays its SSH banner by the connect latency on the fleet's
 * timer (reading nothing meanwhile, as a slow host would). A blackhole host never sends the banner and drops what the
 * client sends, reading on so that it sees the client close; beyond the MaxStartups-like limit of handshakes in
 * flight a new connection is closed before the banner, as OpenSSH does. Every connection counts among the handshakes
 * in flight from its start until authentication succeeds (just before the client is told) or it closes, and the
 * fleet keeps the peak.
 */
final class FleetSession extends ServerSessionImpl {

    private final FleetRuntime runtime;
    private final SimulatedHost host;
    private final AtomicInteger handshakesInFlight;
    private final AtomicInteger peakHandshakes;
    private final AtomicBoolean counted = new AtomicBoolean();

    FleetSession(ServerFactoryManager server, IoSession io, FleetRuntime runtime, SimulatedHost host,
            AtomicInteger handshakesInFlight, AtomicInteger peakHandshakes) throws Exception {
        super(server, io);
        this.runtime = runtime;
        this.host = host;
        this.handshakesInFlight = handshakesInFlight;
        this.peakHandshakes = peakHandshakes;
        setUserAuthFactories(host.keyboardInteractiveOnly()
                ? List.of(UserAuthKeyboardInteractiveFactory.INSTANCE)
                : List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthKeyboardInteractiveFactory.INSTANCE,
                        UserAuthPasswordFactory.INSTANCE));
    }

    SimulatedHost host() {
        return host;
    }

    @Override
    public void start() throws Exception {
        counted.set(true);
        int inFlight = handshakesInFlight.incrementAndGet();
        peakHandshakes.accumulateAndGet(inFlight, Math::max);
        int limit = runtime.config().maxStartups();
        if (limit > 0 && inFlight > limit) {
            handshakeDone();
            close(true);
            return;
        }
        if (host.has(FaultType.BLACKHOLE)) {
            return;
        }
        long delay = runtime.config().connectLatency().sampleNanos();
        if (delay == 0) {
            super.start();
        } else {
            // The server answers the client's identification with its key exchange at once, so reading waits
            // until the banner is out.
            getIoSession().suspendRead();
            runtime.schedule(delay, this::startNow);
        }
    }

    /**
     * Drops everything a blackhole host receives (it never answers); reading it still, rather than suspending reads,
     * lets the session end when its client closes the connection, instead of when the fleet stops.
     */
    @Override
    public void messageReceived(Readable buffer) throws Exception {
        if (host.has(FaultType.BLACKHOLE)) {
            return;
        }
        super.messageReceived(buffer);
    }

    private void startNow() {
        try {
            super.start();
            getIoSession().resumeRead();
        } catch (Exception e) {
            close(true);
        }
    }

    /** Ends this session's count among the handshakes in flight (once: on authentication or close). */
    void handshakeDone() {
        if (counted.compareAndSet(true, false)) {
            handshakesInFlight.decrementAndGet();
        }
    }
}
