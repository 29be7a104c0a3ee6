package dev.fanout.testing;

import dev.fanout.ExecResult;
import dev.fanout.Host;
import dev.fanout.internal.driver.SshDrivers;
import dev.fanout.spi.AsyncSshDriver;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteProcess;
import dev.fanout.spi.SshSession;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The real {@code mina} driver, except that it throws an {@link Error} for the hosts it is told to break: where a
 * key decoder meets a missing class, or a buffer exhausts the heap. No real part throws an Error on demand.
 */
public final class ThrowingDriver implements AsyncSshDriver {

    /** Where a broken host's Error comes from. */
    public enum Where {
        /** {@code connect} and {@code connectAsync} throw it, as a key decoder missing a class does. */
        CONNECT,
        /** Each command throws it ({@code exec}), or fails its future with it ({@code execAsync}). */
        EXEC
    }

    private final AsyncSshDriver real = (AsyncSshDriver) SshDrivers.create(TestDriver.MINA.id());
    private final Predicate<Host> broken;
    private final Where where;
    private final Supplier<Error> error;

    /** Breaks the hosts {@code broken} accepts, at {@code where}, with a new {@code error} each time. */
    public ThrowingDriver(Predicate<Host> broken, Where where, Supplier<Error> error) {
        this.broken = broken;
        this.where = where;
        this.error = error;
    }

    @Override
    public String name() {
        return "throwing";
    }

    @Override
    public SshSession connect(ConnectRequest request) {
        throwOnConnect(request.host());
        return wrap((AsyncSshSession) real.connect(request));
    }

    @Override
    public CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request) {
        throwOnConnect(request.host());
        return real.connectAsync(request).thenApply(this::wrap);
    }

    private void throwOnConnect(Host host) {
        if (where == Where.CONNECT && broken.test(host)) {
            throw error.get();
        }
    }

    private AsyncSshSession wrap(AsyncSshSession session) {
        return where == Where.EXEC && broken.test(session.host()) ? new ThrowingSession(session) : session;
    }

    @Override
    public void close() {
        real.close();
    }

    /** A session whose commands end in the Error. */
    private final class ThrowingSession implements AsyncSshSession {
        private final AsyncSshSession session;

        ThrowingSession(AsyncSshSession session) {
            this.session = session;
        }

        @Override
        public Host host() {
            return session.host();
        }

        @Override
        public ExecResult exec(ExecRequest request) {
            throw error.get();
        }

        @Override
        public CompletableFuture<ExecResult> execAsync(ExecRequest request) {
            return CompletableFuture.failedFuture(error.get());
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

        @Override
        public void close() {
            session.close();
        }
    }
}
