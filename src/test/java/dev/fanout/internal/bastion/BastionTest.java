package dev.fanout.internal.bastion;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.BastionSettings;
import dev.fanout.ExecResult;
import dev.fanout.Host;
import dev.fanout.error.ConnectionRefusedException;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteProcess;
import dev.fanout.spi.SshSession;
import dev.fanout.testing.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How one bastion hands out places: one session filled before the next, its logins shared by all the hosts waiting
 * for them, the handshake limit, sessions the bastion dropped. The sessions are stand-ins whose only part is being
 * open or not: what is tested is who gets which place when, which no real server lets a test time exactly.
 */
class BastionTest {

    private static final Host BASTION = Host.of("ops", "bastion");
    private static final long WAIT_SECONDS = 30;

    /** A session that is only open or closed. */
    private static final class StandIn implements SshSession {
        private volatile boolean open = true;

        @Override
        public Host host() {
            return BASTION;
        }

        @Override
        public ExecResult exec(ExecRequest request) {
            throw new UnsupportedOperationException("a stand-in runs nothing");
        }

        @Override
        public RemoteFiles openFiles(Duration timeout) {
            throw new UnsupportedOperationException("a stand-in has no files");
        }

        @Override
        public RemoteProcess start(String command, Duration timeout, int stderrLimit) {
            throw new UnsupportedOperationException("a stand-in starts nothing");
        }

        @Override
        public ConnectTimings timings() {
            return ConnectTimings.between(0, 0, 0);
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    /** Logins the bastion is asked for; each waits until the test answers it with a session or a failure. */
    private final BlockingQueue<CompletableFuture<SshSession>> logins = new LinkedBlockingQueue<>();

    private Bastion bastion(BastionSettings settings) {
        return new Bastion(BASTION, Optional.empty(), settings, through -> {
            CompletableFuture<SshSession> answer = new CompletableFuture<>();
            logins.add(answer);
            return answer.join();
        });
    }

    private CompletableFuture<SshSession> nextLogin() throws InterruptedException {
        CompletableFuture<SshSession> login = logins.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertTrue(login != null, "a login was asked for");
        return login;
    }

    private static Bastion.Place placed(CompletableFuture<Bastion.Place> place) throws Exception {
        return place.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    @Test
    void triesTheBastionOnceForAllTheHostsWaitingAndGivesThemItsFailure() throws Exception {
        Bastion bastion = bastion(BastionSettings.DEFAULTS);
        List<CompletableFuture<Bastion.Place>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(bastion.reserve());
        }
        CompletableFuture<SshSession> login = nextLogin();
        assertTrue(logins.isEmpty(), "one login for the five hosts");
        ConnectionRefusedException refused = new ConnectionRefusedException(BASTION.toString(), "test", null);
        login.completeExceptionally(refused);
        for (CompletableFuture<Bastion.Place> place : waiting) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> place.get(WAIT_SECONDS, TimeUnit.SECONDS));
            assertSame(refused, failure.getCause());
        }
        CompletableFuture<Bastion.Place> later = bastion.reserve();
        StandIn session = new StandIn();
        nextLogin().complete(session);
        assertSame(session, placed(later).session());
    }

    @Test
    void fillsOneSessionBeforeOpeningAnotherUpToTheMost() throws Exception {
        Bastion bastion = bastion(new BastionSettings(2, 3, 100));
        List<CompletableFuture<Bastion.Place>> places = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            places.add(bastion.reserve());
        }
        StandIn first = new StandIn();
        nextLogin().complete(first);
        StandIn second = new StandIn();
        nextLogin().complete(second);
        for (int i = 0; i < 6; i++) {
            assertSame(i < 3 ? first : second, placed(places.get(i)).session());
        }
        assertFalse(places.get(6).isDone(), "two sessions of three hosts are full");
        assertTrue(logins.isEmpty(), "no third session");
        placed(places.get(1)).release();
        assertSame(first, placed(places.get(6)).session());
    }

    @Test
    void holdsTheHostsSettingUpTheirConnectionToTheHandshakeLimit() throws Exception {
        Bastion bastion = bastion(new BastionSettings(1, 10, 2));
        List<CompletableFuture<Bastion.Place>> places = List.of(bastion.reserve(), bastion.reserve(),
                bastion.reserve());
        nextLogin().complete(new StandIn());
        Bastion.Place first = placed(places.get(0));
        placed(places.get(1));
        assertFalse(places.get(2).isDone(), "two handshakes at once");
        first.handshakeDone(); // its channel stays taken, its handshake is over
        placed(places.get(2));
    }

    /** A bastion that takes no more logins fails nobody while a session is open, and gets no storm of logins. */
    @Test
    void triesNoMoreLoginsOnceAnExtraOneFailedUntilASessionGoes() throws Exception {
        Bastion bastion = bastion(new BastionSettings(3, 1, 10));
        CompletableFuture<Bastion.Place> first = bastion.reserve();
        StandIn open = new StandIn();
        nextLogin().complete(open);
        Bastion.Place held = placed(first);
        CompletableFuture<Bastion.Place> waiting = bastion.reserve();
        nextLogin().completeExceptionally(new ConnectionRefusedException(BASTION.toString(), "test", null));
        // The failure reaches the bastion on the login's own thread: the steps below assume it has.
        Await.until("the failed login handed to the bastion", () -> !bastion.isConnecting());
        CompletableFuture<Bastion.Place> another = bastion.reserve();
        assertTrue(logins.isEmpty(), "no login tried after the failed one while a session is open");
        assertFalse(waiting.isDone() || another.isDone(), "they wait for room, not fail");
        held.release();
        assertSame(open, placed(waiting).session());
        open.open = false; // the open session goes: logins may be tried again
        placed(waiting).release();
        StandIn fresh = new StandIn();
        nextLogin().complete(fresh);
        assertSame(fresh, placed(another).session());
    }

    @Test
    void replacesASessionTheBastionDroppedAndClosesItWhenItsLastHostIsDone() throws Exception {
        Bastion bastion = bastion(BastionSettings.DEFAULTS);
        CompletableFuture<Bastion.Place> first = bastion.reserve();
        StandIn dropped = new StandIn();
        nextLogin().complete(dropped);
        Bastion.Place onDropped = placed(first);
        dropped.open = false; // the bastion hung up
        CompletableFuture<Bastion.Place> next = bastion.reserve();
        StandIn fresh = new StandIn();
        nextLogin().complete(fresh);
        assertSame(fresh, placed(next).session());
        onDropped.release();
        assertFalse(dropped.isOpen());
        assertTrue(fresh.isOpen());
    }

    @Test
    void givesThePlaceOfAHostThatStoppedWaitingToTheNext() throws Exception {
        Bastion bastion = bastion(new BastionSettings(1, 1, 10));
        CompletableFuture<Bastion.Place> holder = bastion.reserve();
        nextLogin().complete(new StandIn());
        Bastion.Place held = placed(holder);
        CompletableFuture<Bastion.Place> cancelled = bastion.reserve();
        CompletableFuture<Bastion.Place> next = bastion.reserve();
        cancelled.cancel(false);
        held.release();
        placed(next);
        assertTrue(cancelled.isCancelled());
    }
}
