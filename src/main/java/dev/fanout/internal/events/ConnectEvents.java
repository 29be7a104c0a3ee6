package dev.fanout.internal.events;

import dev.fanout.Host;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JFR events of one connect attempt, for drivers: {@code dev.fanout.Connect} from the start to the end of the
 * host key check ({@link #handshakeDone()}), then {@code dev.fanout.Auth} to the end ({@link #end}); a failure
 * commits whichever is open, with its outcome and phase. Thread-safe, for drivers whose callbacks come on several
 * threads; the first end counts. Records nothing when no flight recording had started at the attempt's start.
 */
public final class ConnectEvents {

    /** The events of an attempt begun while no flight recording was on: none, and nothing held per session. */
    private static final ConnectEvents NONE = new ConnectEvents(null, null);

    private final ReentrantLock lock = new ReentrantLock();
    private final String host;
    private final String driver;
    private ConnectEvent connect;
    private AuthEvent auth;

    private ConnectEvents(String host, String driver) {
        this.host = host;
        this.driver = driver;
    }

    /** Begins the connect event of {@code host}, now. */
    public static ConnectEvents begin(Host host, String driver) {
        if (!FlightRecording.started()) {
            return NONE;
        }
        ConnectEvents events = new ConnectEvents(host.toString(), driver);
        events.connect = new ConnectEvent();
        events.connect.begin();
        return events;
    }

    /** The host key is trusted: commits the connect event and begins the auth event. */
    public void handshakeDone() {
        if (this == NONE) {
            return;
        }
        lock.lock();
        try {
            if (connect == null) {
                return;
            }
            commit(connect, null);
            connect = null;
            auth = new AuthEvent();
            auth.begin();
        } finally {
            lock.unlock();
        }
    }

    /** The attempt ended: authenticated when {@code failure} is null; commits the open event. */
    public void end(Throwable failure) {
        if (this == NONE) {
            return;
        }
        lock.lock();
        try {
            if (connect != null) {
                commit(connect, failure);
                connect = null;
            } else if (auth != null) {
                commit(auth, failure);
                auth = null;
            }
        } finally {
            lock.unlock();
        }
    }

    private void commit(ConnectEvent event, Throwable failure) {
        event.end();
        event.host = host;
        event.driver = driver;
        event.outcome = Outcomes.of(failure);
        event.phase = Outcomes.phase(failure, "connect");
        event.commit();
    }

    private void commit(AuthEvent event, Throwable failure) {
        event.end();
        event.host = host;
        event.driver = driver;
        event.outcome = Outcomes.of(failure);
        event.phase = Outcomes.phase(failure, "auth");
        event.commit();
    }
}
