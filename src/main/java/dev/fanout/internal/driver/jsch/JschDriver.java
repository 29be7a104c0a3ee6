package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.Identity;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.internal.driver.HostKeyAlgorithms;
import dev.fanout.internal.driver.PrivateKeyFailures;
import dev.fanout.internal.driver.PublicKeyOrder;
import dev.fanout.internal.events.ConnectEvents;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshSession;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The {@code jsch} driver.
 *
 * <p>Design: JSch's {@code Session.connect} does TCP, key exchange and authentication on the calling thread, then
 * starts one reader thread per session. On JDK 24+ that thread is virtual (JSch pins carriers in
 * {@code synchronized} blocks on older JDKs, so there it stays a platform thread). Session read timeouts do not
 * bound a whole connect, so a watchdog disconnects a session whose connect and authentication outlive their limits.
 * Private keys are decoded once per set of credentials ({@link #prepare}) and shared by every session.
 */
final class JschDriver implements SshDriver {

    static final String NAME = "jsch";

    private static final boolean VIRTUAL_READER_THREADS = Runtime.version().feature() >= 24;
    private static final int KEEPALIVE_MILLIS = 15_000;
    private static final int KEEPALIVE_MISSES = 4;

    private final JSch jsch = new JSch();
    private final ConcurrentHashMap<Credentials, PublicKeyOrder<Identity>> identities = new ConcurrentHashMap<>();
    /** Each key decoded once, whatever sets of credentials share it. */
    private final ConcurrentHashMap<AuthMethod.PublicKey, List<Identity>> decoded = new ConcurrentHashMap<>();
    private static final String BOUNCY_CASTLE_X25519 = "com.jcraft.jsch.bc.XDH";
    private static final List<String> HOST_KEY_ALGORITHMS = List.of(JSch.getConfig("server_host_key").split(","));

    private final Set<JschSession> openSessions = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "fanout-jsch-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void prepare(Credentials credentials) {
        identities(credentials);
    }

    @Override
    public SshSession connect(ConnectRequest request) {
        return connect(request, Optional.empty());
    }

    /** Through a bastion: a {@code direct-tcpip} channel of its session is the connection ({@link JschTunnel}). */
    @Override
    public SshSession connect(ConnectRequest request, SshSession through) {
        if (!(through instanceof JschSession bastion)) {
            throw new IllegalArgumentException("not a session of the jsch driver: " + through);
        }
        return connect(request, Optional.of(bastion));
    }

    private SshSession connect(ConnectRequest request, Optional<JschSession> through) {
        ConnectEvents events = ConnectEvents.begin(request.host(), NAME);
        try {
            SshSession session = connect(request, through, events);
            events.end(null);
            return session;
        } catch (RuntimeException | Error e) {
            events.end(e);
            throw e;
        }
    }

    private SshSession connect(ConnectRequest request, Optional<JschSession> through, ConnectEvents events) {
        PublicKeyOrder<Identity> keys = identities(request.credentials());
        JschAttempt attempt = new JschAttempt(request, watchdog, events);
        Session session = newSession(request, attempt, keys);
        through.ifPresent(bastion -> session.setProxy(new JschTunnel(bastion, attempt)));
        long start = System.nanoTime();
        JschDeadline deadline = new JschDeadline(attempt, session, watchdog);
        request.cancellation().onCancel(session::disconnect);
        try {
            session.connect((int) request.timeouts().connect().toMillis());
            session.setServerAliveInterval(KEEPALIVE_MILLIS);
            session.setServerAliveCountMax(KEEPALIVE_MISSES);
        } catch (JSchException | RuntimeException e) {
            // A RuntimeException comes from JSch's internals when the watchdog or a cancellation disconnects the
            // session under a connect in progress.
            session.disconnect();
            throw cancelledOr(request, JschErrors.connectFailure(attempt, e));
        } finally {
            deadline.cancel();
            attempt.agents().close();
        }
        if (!session.isConnected()) {
            throw cancelledOr(request,
                    JschErrors.connectFailure(attempt, new JSchException("session closed while connecting")));
        }
        long authStart = attempt.authStartNanos() == 0 ? start : attempt.authStartNanos();
        JschSession opened = new JschSession(request.host(), session,
                ConnectTimings.between(start, authStart, System.nanoTime()), openSessions::remove);
        openSessions.add(opened);
        return opened;
    }

    /** The failure to throw: a cancellation, when the caller cancelled, else the translated failure. */
    private static RuntimeException cancelledOr(ConnectRequest request, RuntimeException failure) {
        if (request.cancellation().isCancelled() || Thread.currentThread().isInterrupted()) {
            CancellationException cancelled = new CancellationException("cancelled while connecting");
            cancelled.initCause(failure);
            return cancelled;
        }
        return failure;
    }

    private Session newSession(ConnectRequest request, JschAttempt attempt, PublicKeyOrder<Identity> keys) {
        Session session;
        try {
            session =
                    jsch.getSession(request.endpoint().user(), request.endpoint().address(), request.endpoint().port());
        } catch (JSchException e) {
            throw JschErrors.connectFailure(attempt, e);
        }
        Credentials credentials = request.credentials();
        session.setSocketFactory(attempt);
        session.setHostKeyRepository(attempt);
        session.setUserInfo(attempt);
        credentials.first(AuthMethod.Password.class)
                .ifPresent(password -> session.setPassword(password.password().revealBytes()));
        if (!keys.isEmpty()) {
            session.setIdentityRepository(new JschIdentities(keys, attempt.agents()));
        }
        Properties config = new Properties();
        config.put("StrictHostKeyChecking", "yes");
        config.put("PreferredAuthentications", credentials.preferredAuthentications());
        // BouncyCastle (a dependency, for MINA's Ed25519) does X25519 in 0.20 ms where the JDK takes 0.45 (key pair
        // plus agreement, measured on this 2-core machine); JSch would take the JDK's.
        config.put("xdh", BOUNCY_CASTLE_X25519);
        config.put("server_host_key", String.join(",", HostKeyAlgorithms.offer(HOST_KEY_ALGORITHMS,
                request.hostKeyVerifier().knownKeyTypes(request.hostKeyName()))));
        session.setConfig(config);
        session.setDaemonThread(true);
        if (VIRTUAL_READER_THREADS) {
            session.setThreadFactory(Thread.ofVirtual().name("fanout-jsch-reader-", 0).factory());
        }
        return session;
    }

    /** The credentials' keys, decoded at the first call, and their agents, in the credentials' order. */
    private PublicKeyOrder<Identity> identities(Credentials credentials) {
        return identities.computeIfAbsent(credentials,
                found -> PublicKeyOrder.decode(found, key -> decoded.computeIfAbsent(key, JschDriver::decodeKey)));
    }

    private static List<Identity> decodeKey(AuthMethod.PublicKey key) {
        try {
            return List.of(decode(key));
        } catch (JSchException e) {
            throw PrivateKeyFailures.undecodable(key, e);
        }
    }

    /**
     * One key, decrypted. JSch keeps a key its passphrase does not decrypt as an encrypted identity, which would
     * only fail at authentication, host after host: such a key is refused here.
     */
    private static Identity decode(AuthMethod.PublicKey key) throws JSchException {
        JSch decoder = new JSch();
        byte[] passphrase = key.passphrase().map(secret -> secret.revealBytes()).orElse(null);
        try {
            decoder.addIdentity(key.name(), key.keyText().reveal().getBytes(StandardCharsets.UTF_8), null,
                    passphrase);
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, (byte) 0);
            }
        }
        Identity identity = decoder.getIdentityRepository().getIdentities().get(0);
        if (identity.isEncrypted()) {
            throw key.passphrase().isPresent() ? PrivateKeyFailures.wrongPassphrase(key, null)
                    : PrivateKeyFailures.missingPassphrase(key);
        }
        return identity;
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
        List.copyOf(openSessions).forEach(JschSession::close);
    }
}
