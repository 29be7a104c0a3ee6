package dev.fanout.internal.bastion;

import dev.fanout.BastionSettings;
import dev.fanout.Host;
import dev.fanout.spi.SshSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One bastion (reached through the bastions before it, if any): its open sessions, the hosts each carries, the
 * handshakes going through it, and the hosts waiting for a {@link Place}.
 *
 * <p>Design: a host asks for a place ({@link #reserve()}) and gets a future, so the ASYNC mode waits without a
 * thread. A place is a channel of a session that carries fewer than {@code maxChannelsPerSession} hosts, the first
 * such session in opening order (so one session fills up before the next is used), granted while fewer than
 * {@code maxHandshakes} hosts are setting up their connection through the bastion. When every session is full and
 * fewer than {@code maxSessions} are open, one more is opened, on a virtual thread of its own (never a waiting
 * host's, whose cancellation must not end a login others wait for); one at a time. Its failure is handed to every
 * host waiting for it (the bastion is tried once for all of them, not once per host); a host that asks later tries
 * again. While another session is open, a failed extra one fails nobody: its waiters wait for room, and no other
 * extra one is tried until one of the open ones goes (a bastion that takes no more logins gets no storm). A
 * session found closed (the bastion dropped it) carries no new host and is closed once its last host is done.
 * Futures are completed outside the lock. Thread-safe.
 */
final class Bastion {

    private static final Logger LOG = LoggerFactory.getLogger(Bastion.class);

    private final Host host;
    private final Optional<Bastion> upstream;
    private final BastionSettings settings;
    private final Function<Optional<Place>, SshSession> opener;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by {@link #lock}, as is everything below: the sessions that take new hosts, in opening order. */
    private final List<Carrier> sessions = new ArrayList<>();
    private final Deque<CompletableFuture<Place>> waiting = new ArrayDeque<>();
    private int handshakes;
    private boolean connecting;
    private boolean closed;
    /** Sessions that may be open: the setting, or fewer once an extra one failed, until one of them goes. */
    private int sessionCap;

    /**
     * @param host the bastion
     * @param upstream the bastion this one is reached through, if any
     * @param settings the limits
     * @param opener opens one session to the bastion, blocking: directly, or through the place given on the
     *     upstream bastion; throws a {@code FanoutException} when it cannot
     */
    Bastion(Host host, Optional<Bastion> upstream, BastionSettings settings,
            Function<Optional<Place>, SshSession> opener) {
        this.host = host;
        this.upstream = upstream;
        this.settings = settings;
        this.opener = opener;
        this.sessionCap = settings.maxSessions();
    }

    /** The bastion. */
    Host host() {
        return host;
    }

    /** One open session to the bastion: the hosts it carries, and its own place upstream, if any. */
    private static final class Carrier {
        private final SshSession session;
        private final Optional<Place> upstream;
        private int channels;
        private boolean retired;

        Carrier(SshSession session, Optional<Place> upstream) {
            this.session = session;
            this.upstream = upstream;
        }

        void close() {
            session.close();
            upstream.ifPresent(Place::release);
        }
    }

    /** A host's place on a bastion session: its channel, and, until {@link #handshakeDone()}, a handshake. */
    final class Place {
        private final Carrier carrier;
        private boolean handshaking = true;
        private boolean released;

        private Place(Carrier carrier) {
            this.carrier = carrier;
        }

        /** The bastion session to connect through. */
        SshSession session() {
            return carrier.session;
        }

        /** The host's connection is set up: its handshake no longer counts against the bastion's limit. */
        void handshakeDone() {
            Actions actions = new Actions();
            lock.lock();
            try {
                if (handshaking && !released) {
                    handshaking = false;
                    handshakes--;
                    grantLocked(actions);
                }
            } finally {
                lock.unlock();
            }
            actions.run();
        }

        /** The host is done with its channel. Idempotent. */
        void release() {
            Actions actions = new Actions();
            lock.lock();
            try {
                if (!released) {
                    released = true;
                    if (handshaking) {
                        handshakes--;
                    }
                    carrier.channels--;
                    if (carrier.retired && carrier.channels == 0) {
                        actions.close.add(carrier);
                    }
                    grantLocked(actions);
                }
            } finally {
                lock.unlock();
            }
            actions.run();
        }

        /** The session turned out to be gone: it takes no new host, and this place is given up. */
        void discard() {
            lock.lock();
            try {
                retireLocked(carrier);
            } finally {
                lock.unlock();
            }
            release();
        }
    }

    /** What to do once the lock is released: places to hand out, sessions to close, a session to open. */
    private final class Actions {
        private final List<CompletableFuture<Place>> waiters = new ArrayList<>();
        private final List<Place> places = new ArrayList<>();
        private final List<Carrier> close = new ArrayList<>();
        private boolean connect;

        void run() {
            for (int i = 0; i < waiters.size(); i++) {
                if (!waiters.get(i).complete(places.get(i))) {
                    places.get(i).release(); // the host gave up meanwhile
                }
            }
            close.forEach(Carrier::close);
            if (connect) {
                Thread.ofVirtual().name("fanout-bastion-" + host.address()).start(Bastion.this::openSession);
            }
        }
    }

    /**
     * A place for one host, when one comes free.
     *
     * @return completes with the place; fails with the bastion's own failure (a {@code FanoutException} naming the
     *     bastion) when the session the host waited for could not be opened, or with a
     *     {@link CancellationException} once the client is closed. Cancelling it gives the place up.
     */
    CompletableFuture<Place> reserve() {
        CompletableFuture<Place> place = new CompletableFuture<>();
        Actions actions = new Actions();
        lock.lock();
        try {
            if (closed) {
                place.completeExceptionally(new CancellationException("fanout closed"));
                return place;
            }
            waiting.add(place);
            grantLocked(actions);
        } finally {
            lock.unlock();
        }
        actions.run();
        return place;
    }

    /** Hands out places while there is room and a handshake to spare; opens a session when all are full. */
    private void grantLocked(Actions actions) {
        for (Carrier carrier : List.copyOf(sessions)) {
            if (!carrier.session.isOpen()) {
                retireLocked(carrier);
                if (carrier.channels == 0) {
                    actions.close.add(carrier);
                }
            }
        }
        while (!waiting.isEmpty() && handshakes < settings.maxHandshakes()) {
            Carrier room = roomLocked();
            if (room == null) {
                break;
            }
            CompletableFuture<Place> waiter = waiting.poll();
            if (waiter.isDone()) {
                continue; // given up
            }
            room.channels++;
            handshakes++;
            actions.waiters.add(waiter);
            actions.places.add(new Place(room));
        }
        if (!waiting.isEmpty() && !connecting && !closed && roomLocked() == null && sessions.size() < sessionCap) {
            connecting = true;
            actions.connect = true;
        }
    }

    private Carrier roomLocked() {
        for (Carrier carrier : sessions) {
            if (carrier.channels < settings.maxChannelsPerSession()) {
                return carrier;
            }
        }
        return null;
    }

    private void retireLocked(Carrier carrier) {
        if (!carrier.retired) {
            carrier.retired = true;
            sessions.remove(carrier);
            sessionCap = settings.maxSessions();
        }
    }

    /** Opens one session, on its own thread; hands it, or its failure, to the hosts waiting. */
    private void openSession() {
        Optional<Place> through = Optional.empty();
        SshSession session;
        try {
            if (upstream.isPresent()) {
                through = Optional.of(upstream.get().reserve().join());
            }
            session = opener.apply(through);
            through.ifPresent(Place::handshakeDone);
        } catch (Throwable failure) {
            through.ifPresent(Place::release);
            failed(failure instanceof CompletionException wrapped && wrapped.getCause() != null ? wrapped.getCause()
                    : failure);
            return;
        }
        Carrier carrier = new Carrier(session, through);
        Actions actions = new Actions();
        lock.lock();
        try {
            connecting = false;
            if (closed) {
                actions.close.add(carrier);
            } else {
                sessions.add(carrier);
                grantLocked(actions);
            }
        } finally {
            lock.unlock();
        }
        actions.run();
    }

    /** The session could not be opened: the hosts waiting for it fail with the cause, unless another can serve. */
    private void failed(Throwable failure) {
        List<CompletableFuture<Place>> failing = new ArrayList<>();
        lock.lock();
        try {
            connecting = false;
            if (sessions.isEmpty()) {
                failing.addAll(waiting);
                waiting.clear();
            } else {
                sessionCap = sessions.size(); // no login storm against a bastion that takes no more
            }
        } finally {
            lock.unlock();
        }
        if (failing.isEmpty()) {
            LOG.warn("bastion {}: one more session could not be opened; hosts wait for room on the open ones: {}",
                    host, failure.getMessage());
        }
        failing.forEach(waiter -> waiter.completeExceptionally(failure));
    }

    /** Whether a session is being opened: a login is under way, its outcome not yet handed out. */
    boolean isConnecting() {
        lock.lock();
        try {
            return connecting;
        } finally {
            lock.unlock();
        }
    }

    /** Fails the hosts still waiting and closes every session. */
    void close() {
        List<CompletableFuture<Place>> failing;
        List<Carrier> open;
        lock.lock();
        try {
            closed = true;
            failing = new ArrayList<>(waiting);
            waiting.clear();
            open = new ArrayList<>(sessions);
            sessions.clear();
        } finally {
            lock.unlock();
        }
        failing.forEach(waiter -> waiter.completeExceptionally(new CancellationException("fanout closed")));
        open.forEach(Carrier::close);
    }
}
