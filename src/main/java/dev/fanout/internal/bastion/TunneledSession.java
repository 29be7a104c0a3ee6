package dev.fanout.internal.bastion;

import dev.fanout.ExecResult;
import dev.fanout.Host;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteProcess;
import dev.fanout.spi.SshSession;
import java.time.Duration;

/** A host's session through a bastion: the driver's own, which gives its place on the bastion back when closed. */
class TunneledSession implements SshSession {

    private final SshSession session;
    private final Bastion.Place place;

    TunneledSession(SshSession session, Bastion.Place place) {
        this.session = session;
        this.place = place;
    }

    /** The driver's session. */
    SshSession session() {
        return session;
    }

    @Override
    public Host host() {
        return session.host();
    }

    @Override
    public ExecResult exec(ExecRequest request) {
        return session.exec(request);
    }

    @Override
    public RemoteFiles openFiles(Duration timeout) {
        return session.openFiles(timeout);
    }

    @Override
    public RemoteProcess start(String command, Duration timeout, int stderrLimit) {
        return session.start(command, timeout, stderrLimit);
    }

    @Override
    public ConnectTimings timings() {
        return session.timings();
    }

    @Override
    public boolean isOpen() {
        return session.isOpen();
    }

    /** Closes the driver's session (and so its channel), then gives the place back. */
    @Override
    public void close() {
        try {
            session.close();
        } finally {
            place.release();
        }
    }
}
