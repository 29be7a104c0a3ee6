package dev.fanout.fleet;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.server.session.ServerUserAuthService;
import org.apache.sshd.server.session.ServerUserAuthServiceFactory;

/**
 * Authentication on a simulated host, with the auth latency applied to public-key login too.
 *
 * <p>Password and keyboard-interactive answers come late through MINA's asynchronous authentication
 * ({@link FleetAuthenticator}), which MINA refuses for public keys (it closes the connection). A public-key login is
 * a query ("would this key do?", answered at once) and then a signed request, whose signature MINA checks against
 * the key as before; only the answer to that signed request, success or failure, is sent after the latency.
 * MINA calls this service under its own lock, one message at a time, so its state needs no other.
 */
final class FleetUserAuthService extends ServerUserAuthService {

    private final FleetRuntime runtime;
    private boolean signedPublicKeyRequest;

    private FleetUserAuthService(Session session, FleetRuntime runtime) throws IOException {
        super(session);
        this.runtime = runtime;
    }

    @Override
    protected boolean handleUserAuthRequestMessage(ServerSession session, Buffer buffer,
            AtomicReference<Boolean> authHolder) throws Exception {
        signedPublicKeyRequest = isSignedPublicKeyRequest(buffer);
        return super.handleUserAuthRequestMessage(session, buffer, authHolder);
    }

    @Override
    protected void handleAuthenticationSuccess(int cmd, Buffer buffer) throws Exception {
        if (!answerLater(cmd, buffer, true)) {
            // Out of the handshakes in flight before the client can hear of its success and start another.
            ((FleetSession) getServerSession()).handshakeDone();
            super.handleAuthenticationSuccess(cmd, buffer);
        }
    }

    @Override
    protected void handleAuthenticationFailure(int cmd, Buffer buffer) throws Exception {
        if (!answerLater(cmd, buffer, false)) {
            super.handleAuthenticationFailure(cmd, buffer);
        }
    }

    /** Schedules the answer to a signed public-key request after the auth latency; false to answer now. */
    private boolean answerLater(int cmd, Buffer buffer, boolean success) {
        if (!signedPublicKeyRequest) {
            return false;
        }
        signedPublicKeyRequest = false;
        long delay = runtime.config().authLatency().sampleNanos();
        if (delay == 0) {
            return false;
        }
        runtime.schedule(delay, () -> asyncAuth(cmd, buffer, success));
        return true;
    }

    /** Reads, without consuming it, whether a USERAUTH_REQUEST is for {@code publickey} and carries a signature. */
    private static boolean isSignedPublicKeyRequest(Buffer request) {
        Buffer peek = new ByteArrayBuffer(request.array(), request.rpos(), request.available());
        peek.getString(); // user
        peek.getString(); // service
        return UserAuthPublicKeyFactory.NAME.equals(peek.getString()) && peek.getBoolean();
    }

    /** Makes this service for each session of the fleet. */
    static final class Factory extends ServerUserAuthServiceFactory {
        private final FleetRuntime runtime;

        Factory(FleetRuntime runtime) {
            this.runtime = runtime;
        }

        @Override
        public Service create(Session session) throws IOException {
            return new FleetUserAuthService(session, runtime);
        }
    }
}
