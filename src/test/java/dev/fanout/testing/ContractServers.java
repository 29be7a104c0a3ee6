package dev.fanout.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The running {@link ContractServer}s and the files they share: a directory for the test run, the client keys both
 * servers accept ({@link TestKeys}) and scratch directories. Servers are started at their first use and stopped when
 * the JVM exits; a real sshd that cannot run is remembered, so that each of its tests is skipped (or fails, in CI)
 * with the same cause.
 */
public final class ContractServers {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final Map<ContractServer, TestServer> STARTED = new EnumMap<>(ContractServer.class);
    private static final Map<ContractServer, RuntimeException> UNAVAILABLE = new EnumMap<>(ContractServer.class);
    private static final Path DIRECTORY;
    private static final Path KEYS;

    static {
        try {
            DIRECTORY = Files.createTempDirectory("fanout-contract");
            KEYS = Files.createDirectories(DIRECTORY.resolve("keys"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> running().forEach(TestServer::close)));
    }

    private ContractServers() {
    }

    static TestServer server(ContractServer kind) {
        LOCK.lock();
        try {
            TestServer server = STARTED.get(kind);
            if (server != null) {
                return server;
            }
            RuntimeException unavailable = UNAVAILABLE.get(kind);
            if (unavailable != null) {
                throw unavailable;
            }
            try {
                server = start(kind);
            } catch (RuntimeException e) {
                UNAVAILABLE.put(kind, e);
                throw e;
            }
            STARTED.put(kind, server);
            return server;
        } finally {
            LOCK.unlock();
        }
    }

    private static TestServer start(ContractServer kind) {
        return switch (kind) {
            case MINA_SERVER -> new MinaTestServer(DIRECTORY, KEYS);
            case OPENSSH -> {
                try {
                    yield OpenSshServer.start(Files.createDirectories(DIRECTORY.resolve("openssh")), KEYS);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case OPENSSH_NO_SFTP -> {
                try {
                    yield OpenSshServer.startWithoutSftp(Files.createDirectories(DIRECTORY.resolve("openssh-no-sftp")),
                            KEYS);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        };
    }

    /** The servers started so far. */
    public static List<TestServer> running() {
        LOCK.lock();
        try {
            return new ArrayList<>(STARTED.values());
        } finally {
            LOCK.unlock();
        }
    }

    /** The directory of the client keys that both servers accept for {@link TestServer#KEY_USER}. */
    public static Path keys() {
        return KEYS;
    }

    /** A fresh scratch directory. */
    public static Path scratch() {
        try {
            return Files.createTempDirectory(DIRECTORY, "scratch");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
