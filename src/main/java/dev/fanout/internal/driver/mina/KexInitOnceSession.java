package dev.fanout.internal.driver.mina;

import org.apache.sshd.client.ClientFactoryManager;
import org.apache.sshd.client.session.ClientSessionImpl;
import org.apache.sshd.client.session.SessionFactory;
import org.apache.sshd.common.io.IoSession;

/**
 * MINA's client session, without the payloads of the last two {@code SSH_MSG_KEXINIT}s kept for the session's life:
 * MINA stores a copy of each (about 1 KB each with the lists fanout and OpenSSH offer) and reads them once, when the
 * key exchange starts ({@code AbstractSession.performKexNegotiation}, the only caller of their getters in
 * sshd-osgi 2.20.0); a re-key stores new ones first. Here the getter hands its copy over and forgets it: 2.2 KB less
 * per open session (docs/library.md, "Footprint"). {@code KexInitOnceSessionTest} fails if MINA reads them twice.
 */
final class KexInitOnceSession extends ClientSessionImpl {

    private final ReadOnce clientKexInit = new ReadOnce();
    private final ReadOnce serverKexInit = new ReadOnce();

    KexInitOnceSession(ClientFactoryManager client, IoSession ioSession) throws Exception {
        super(client, ioSession);
    }

    @Override
    protected void setClientKexData(byte[] data) {
        clientKexInit.keep(data);
    }

    @Override
    protected byte[] getClientKexData() {
        return clientKexInit.take();
    }

    @Override
    protected void setServerKexData(byte[] data) {
        serverKexInit.keep(data);
    }

    @Override
    protected byte[] getServerKexData() {
        return serverKexInit.take();
    }

    /** A payload held from its arrival to its one read, under the session's key-exchange lock as MINA's are. */
    private final class ReadOnce {

        private byte[] data;

        void keep(byte[] payload) {
            synchronized (kexState) {
                data = payload.clone();
            }
        }

        byte[] take() {
            synchronized (kexState) {
                byte[] payload = data;
                data = null;
                return payload;
            }
        }
    }

    /** Makes these sessions, for every connect of the client: direct or through a bastion. */
    static final class Factory extends SessionFactory {

        Factory(ClientFactoryManager client) {
            super(client);
        }

        @Override
        protected ClientSessionImpl doCreateSession(IoSession ioSession) throws Exception {
            return new KexInitOnceSession(getClient(), ioSession);
        }
    }
}
