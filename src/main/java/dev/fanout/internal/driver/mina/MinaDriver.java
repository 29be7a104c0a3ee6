package dev.fanout.internal.driver.mina;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.error.Phase;
import dev.fanout.error.SessionLostException;
import dev.fanout.internal.driver.HostKeyAlgorithms;
import dev.fanout.internal.driver.HostLookup;
import dev.fanout.internal.driver.PrivateKeyFailures;
import dev.fanout.internal.driver.PublicKeyOrder;
import dev.fanout.internal.events.ConnectEvents;
import dev.fanout.spi.AsyncSshDriver;
import dev.fanout.spi.AsyncSshSession;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.ConnectTimings;
import dev.fanout.spi.SshSession;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.keyboard.UserInteraction;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.PropertyResolverUtils;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The {@code mina} driver (Apache MINA SSHD).
 *
 * <p>Design: one {@link SshClient} per driver, and so per {@code Fanout}, opens every session (a client per
 * connection would leak its thread pools). The client's host key verifier, user interaction and session listener
 * are shared; each finds its connection's {@link MinaAttempt} in the connection context. Connect, authentication
 * and commands are chains of MINA listeners completing {@link CompletableFuture}s, with time limits from one
 * timer thread: the asynchronous API runs no thread per host, and the blocking API is a wait on it, so a
 * waiting virtual thread parks rather than pins.
 * MINA reads its authentication order when a session is created, so the order is fixed client-wide
 * (publickey, keyboard-interactive, password); methods the credentials lack are skipped.
 */
final class MinaDriver implements AsyncSshDriver {

    static final String NAME = "mina";

    private static final String AUTH_ORDER = "publickey,keyboard-interactive,password";
    private static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(15);
    private static final int KEEPALIVE_MISSES = 4;
    private static final int READ_BUFFER_BYTES = 2 * 1024;
    private static final List<String> CIPHER_PREFERENCE = List.of("aes128-gcm@openssh.com", "aes256-gcm@openssh.com",
            "aes128-ctr", "aes192-ctr", "aes256-ctr");

    private final TunnelingClient client;
    private final ScheduledThreadPoolExecutor timer;
    private final ConcurrentHashMap<Credentials, PublicKeyOrder<KeyPair>> keyPairs = new ConcurrentHashMap<>();
    /** Each key decoded once, whatever sets of credentials share it. */
    private final ConcurrentHashMap<AuthMethod.PublicKey, List<KeyPair>> decoded = new ConcurrentHashMap<>();

    /**
     * The one-time part of a driver's creation: MINA's builders, whose static lists of algorithms initialise its
     * security utilities, which register BouncyCastle.
     */
    static void initialiseLibrary() {
        Objects.requireNonNull(ClientBuilder.builder());
        Objects.requireNonNull(SshClient.DEFAULT_USER_AUTH_FACTORIES);
        SecurityUtils.isBouncyCastleRegistered();
    }

    MinaDriver() {
        client = (TunnelingClient) ClientBuilder.builder().factory(TunnelingClient::new).build();
        // Connect where the inventory says and offer only the credentials' keys, as the jsch driver does: MINA's
        // defaults read ~/.ssh/config (whose HostName, Port and User would silently redirect a host) and watch
        // ~/.ssh/id_* (a file check on every login).
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        // Keys in the credentials' order, an agent's at its place (MINA's own authentication puts its agent first).
        client.setUserAuthFactories(SshClient.DEFAULT_USER_AUTH_FACTORIES.stream()
                .map(factory -> factory.getName().equals(UserAuthPublicKeyFactory.NAME)
                        ? new OrderedPublicKeyAuth.Factory() : factory)
                .toList());
        CoreModuleProperties.PREFERRED_AUTHS.set(client, AUTH_ORDER);
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        // Each session keeps one read buffer (32 KiB by default): 160 MB at 5,000 sessions. 2 KiB reads fetch
        // 300 MB as fast as 8 or 32 KiB (the packets are put together in MINA's decoder buffer anyway), and a
        // connected host holds 6 KB less than with 8 KiB (docs/library.md, "Footprint").
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(client, READ_BUFFER_BYTES);
        // Keyboard-interactive answers come only from the credentials' responders, never from a password
        // identity MINA guesses fits a prompt: both drivers offer exactly what the credentials list.
        PropertyResolverUtils.updateProperty(client, UserInteraction.AUTO_DETECT_PASSWORD_PROMPT, false);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, KEEPALIVE_INTERVAL);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, KEEPALIVE_MISSES);
        // sntrup761 costs several ms of CPU per handshake in pure Java (BouncyCastle), which at 5,000 hosts dwarfs
        // everything else; the post-quantum hybrid mlkem768x25519 stays first where the server offers it.
        client.setKeyExchangeFactories(client.getKeyExchangeFactories().stream()
                .filter(factory -> !factory.getName().startsWith("sntrup761")).toList());
        // AES (GCM, then CTR) before ChaCha20-Poly1305: the JDK runs AES with the CPU's AES instructions, MINA runs
        // ChaCha20-Poly1305 in plain Java, which held a 200 MB upload to 55 MB/s on loopback.
        client.setCipherFactories(client.getCipherFactories().stream()
                .sorted(Comparator.comparingInt(cipher -> CIPHER_PREFERENCE.indexOf(cipher.getName()) < 0
                        ? CIPHER_PREFERENCE.size() : CIPHER_PREFERENCE.indexOf(cipher.getName())))
                .toList());
        // Ed25519 host keys first, as OpenSSH and JSch do (MINA puts ECDSA first); per session, the key types
        // known_hosts holds for the host come before all, without certificates or ssh-rsa (AttemptListener).
        // ECDSA host keys are verified on a copy (EcdsaVerificationOnACopy).
        client.setSignatureFactories(EcdsaVerificationOnACopy.of(client.getSignatureFactories().stream()
                .sorted(Comparator.comparingInt(MinaDriver::hostKeyRank)).toList()));
        client.setServerKeyVerifier((session, address, key) -> attempt(session).verifyHostKey(wireFormat(key)));
        client.setUserInteraction(new AttemptUserInteraction());
        client.addSessionListener(new AttemptListener());
        client.start();
        timer = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "fanout-mina-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void prepare(Credentials credentials) {
        keyPairs(credentials);
    }

    @Override
    public SshSession connect(ConnectRequest request) {
        return MinaFutures.await(connectAsync(request));
    }

    @Override
    public SshSession connect(ConnectRequest request, SshSession through) {
        return MinaFutures.await(connectAsync(request, through));
    }

    @Override
    public CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request) {
        return connectAsync(request, Optional.empty());
    }

    /** Through a bastion: a {@code direct-tcpip} channel of its session carries the connection. */
    @Override
    public CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request, SshSession through) {
        if (!(through instanceof MinaSession bastion)) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("not a session of the mina driver: "
                    + through));
        }
        return connectAsync(request, Optional.of(bastion));
    }

    private CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request, Optional<MinaSession> through) {
        ConnectEvents events = ConnectEvents.begin(request.host(), NAME);
        CompletableFuture<AsyncSshSession> connecting = connectAsync(request, through, events);
        // The caller sees the result itself; this stage only ends the connect's events.
        var unused = connecting.whenComplete((session, failure) -> events.end(failure));
        return connecting;
    }

    private CompletableFuture<AsyncSshSession> connectAsync(ConnectRequest request, Optional<MinaSession> through,
            ConnectEvents events) {
        PublicKeyOrder<KeyPair> keys;
        try {
            keys = keyPairs(request.credentials());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        MinaAttempt attempt = new MinaAttempt(request, keys, timer, events);
        CompletableFuture<AsyncSshSession> result = new CompletableFuture<>();
        long start = System.nanoTime();
        // The connect limit covers the name lookup, the TCP connect and the handshake.
        ScheduledFuture<?> connectLimit = timer.schedule(
                () -> result.completeExceptionally(MinaErrors.timeout(attempt)),
                request.timeouts().connect().toNanos(), TimeUnit.NANOSECONDS);
        request.cancellation().onCancel(() -> result.completeExceptionally(new CancellationException("cancelled")));
        // The caller sees the result itself; this stage only cancels the limit and closes agent links.
        var unused = result.whenComplete((session, failure) -> {
            connectLimit.cancel(false);
            attempt.agents().close();
        });
        if (through.isPresent()) {
            attempt.through(through.get());
            // The bastion resolves the name and connects; the connect limit covers the channel and the handshake.
            SshdSocketAddress target = new SshdSocketAddress(request.endpoint().address(), request.endpoint().port());
            connectTo(attempt, () -> client.connectThrough(request.endpoint().user(),
                    through.get().clientSession(), target, AttributeRepository.ofKeyValuePair(MinaAttempt.KEY,
                            attempt)),
                    start, connectLimit, result);
            return result;
        }
        // Whatever starting the connect throws (an Error included) fails the connect at once.
        HostLookup.lookup(request.endpoint().address()).whenComplete((address, failure) -> {
            if (failure instanceof UnknownHostException unknown) {
                result.completeExceptionally(MinaErrors.unresolved(attempt, unknown));
            } else if (failure != null) {
                result.completeExceptionally(failure);
            } else if (!result.isDone()) {
                InetSocketAddress socket = new InetSocketAddress(address, request.endpoint().port());
                connectTo(attempt, () -> client.connect(request.endpoint().user(), socket,
                        AttributeRepository.ofKeyValuePair(MinaAttempt.KEY, attempt), null), start, connectLimit,
                        result);
            }
        }).exceptionally(failure -> {
            result.completeExceptionally(failure);
            return null;
        });
        return result;
    }

    /** How a connect starts: a TCP connect, or a channel through a bastion. */
    @FunctionalInterface
    private interface Connecting {
        ConnectFuture start() throws IOException;
    }

    /** The TCP connect (or the channel) and the handshake, once the name is resolved; then authentication. */
    private void connectTo(MinaAttempt attempt, Connecting connect, long start, ScheduledFuture<?> connectLimit,
            CompletableFuture<AsyncSshSession> result) {
        ConnectFuture connecting;
        try {
            connecting = connect.start();
        } catch (IOException e) {
            result.completeExceptionally(MinaErrors.connectFailure(attempt, e));
            return;
        } catch (Throwable e) {
            result.completeExceptionally(e);
            return;
        }
        // The caller sees the result itself; this stage only drops a connect that is no longer wanted.
        var unused = result.whenComplete((session, failure) -> {
            if (failure != null) {
                connecting.cancel();
                connecting.addListener(late -> {
                    if (late.isConnected()) {
                        late.getClientSession().close(true);
                    }
                });
            }
        });
        connecting.addListener(done -> {
            if (!done.isConnected()) {
                result.completeExceptionally(MinaErrors.connectFailure(attempt, done.getException()));
                return;
            }
            attempt.enter(Phase.KEY_EXCHANGE);
            ClientSession session = done.getClientSession();
            // Whatever this step throws (an Error included) fails the connect: the connect limit is off by then,
            // so nothing else would ever complete it.
            attempt.handshake().thenAccept(established -> {
                connectLimit.cancel(false);
                if (!established) {
                    result.completeExceptionally(MinaErrors.handshakeFailure(attempt, null));
                } else if (!result.isDone()) {
                    authenticate(attempt, session, start, result);
                }
            }).exceptionally(failure -> {
                result.completeExceptionally(failure);
                return null;
            });
        });
    }

    private void authenticate(MinaAttempt attempt, ClientSession session, long start,
            CompletableFuture<AsyncSshSession> result) {
        long handshakeDone = System.nanoTime();
        attempt.request().credentials().all(AuthMethod.Password.class)
                .forEach(password -> session.addPasswordIdentity(password.password().reveal()));
        ScheduledFuture<?> authLimit = timer.schedule(() -> result.completeExceptionally(MinaErrors.timeout(attempt)),
                attempt.request().timeouts().auth().toNanos(), TimeUnit.NANOSECONDS);
        try {
            session.auth().addListener(auth -> {
                authLimit.cancel(false);
                try {
                    if (auth.isSuccess()) {
                        ConnectTimings timings = ConnectTimings.between(start, handshakeDone, System.nanoTime());
                        if (!result.complete(new MinaSession(attempt.request().host(), session, timings, timer))) {
                            session.close(true);
                        }
                    } else {
                        result.completeExceptionally(MinaErrors.authFailure(attempt, auth.getException(),
                                session.isOpen()));
                    }
                } catch (Throwable failure) {
                    result.completeExceptionally(failure);
                }
            });
        } catch (IOException e) {
            authLimit.cancel(false);
            result.completeExceptionally(new SessionLostException(attempt.request().host().toString(), NAME,
                    Phase.AUTH, e.getMessage(), e));
        }
        // The caller sees the result itself; this stage only closes the session of a failed connect.
        var unused = result.whenComplete((opened, failure) -> {
            if (failure != null) {
                session.close(true);
            }
        });
    }

    /** The credentials' keys, decoded at the first call, and their agents, in the credentials' order. */
    private PublicKeyOrder<KeyPair> keyPairs(Credentials credentials) {
        return keyPairs.computeIfAbsent(credentials,
                found -> PublicKeyOrder.decode(found, key -> decoded.computeIfAbsent(key, MinaDriver::decode)));
    }

    private static List<KeyPair> decode(AuthMethod.PublicKey key) {
        FilePasswordProvider passphrase = key.passphrase()
                .map(secret -> FilePasswordProvider.of(secret.reveal())).orElse(FilePasswordProvider.EMPTY);
        try (InputStream text = new ByteArrayInputStream(key.keyText().reveal().getBytes(StandardCharsets.UTF_8))) {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.name()),
                    text, passphrase);
            if (pairs == null) {
                throw new GeneralSecurityException("no key found");
            }
            List<KeyPair> decoded = new ArrayList<>();
            pairs.forEach(decoded::add);
            return List.copyOf(decoded);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw PrivateKeyFailures.undecodable(key, e);
        }
    }

    private static byte[] wireFormat(PublicKey key) {
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return buffer.getCompactData();
    }

    /** The attempt a session belongs to, or null for a session fanout did not open. */
    static MinaAttempt attempt(Session session) {
        return session instanceof ClientSession client && client.getConnectionContext() != null
                ? client.getConnectionContext().getAttribute(MinaAttempt.KEY) : null;
    }

    @Override
    public void close() {
        client.stop();
        timer.shutdownNow();
    }

    /** Hands keyboard-interactive prompts to the attempt's responders. */
    private static final class AttemptUserInteraction implements UserInteraction {
        @Override
        public boolean isInteractionAllowed(ClientSession session) {
            MinaAttempt attempt = attempt(session);
            return attempt != null && attempt.answers().available();
        }

        @Override
        public String[] interactive(ClientSession session, String name, String instruction, String lang,
                String[] prompt, boolean[] echo) {
            MinaAttempt attempt = attempt(session);
            return attempt == null ? null : attempt.answers().answer(name, instruction, prompt, echo);
        }

        @Override
        public String getUpdatedPassword(ClientSession session, String prompt, String lang) {
            return null;
        }
    }

    /** Ed25519 first, then the rest: a stable sort keeps MINA's order otherwise. */
    private static int hostKeyRank(NamedResource algorithm) {
        return algorithm.getName().startsWith(KeyPairProvider.SSH_ED25519) ? 0 : 1;
    }

    /**
     * Offers each server the host key algorithms for the key types known for it first; tells each attempt when its
     * keys are established, or why its session closed.
     */
    private static final class AttemptListener implements SessionListener {
        @Override
        public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
            MinaAttempt attempt = attempt(session);
            String offered = proposal.get(KexProposalOption.SERVERKEYS);
            if (attempt == null || offered == null) {
                return;
            }
            List<String> known = attempt.request().hostKeyVerifier()
                    .knownKeyTypes(attempt.request().hostKeyName());
            proposal.put(KexProposalOption.SERVERKEYS,
                    String.join(",", HostKeyAlgorithms.offer(List.of(offered.split(",")), known)));
        }

        @Override
        public void sessionEvent(Session session, Event event) {
            MinaAttempt attempt = attempt(session);
            if (attempt != null && event == Event.KeyEstablished) {
                attempt.keysEstablished();
            }
        }

        @Override
        public void sessionException(Session session, Throwable error) {
            MinaAttempt attempt = attempt(session);
            if (attempt != null) {
                attempt.failed(error);
            }
        }

        @Override
        public void sessionDisconnect(Session session, int reason, String message, String language,
                boolean initiator) {
            MinaAttempt attempt = attempt(session);
            if (attempt != null && !initiator) {
                attempt.failed(new IOException("server disconnected: " + message));
            }
        }

        @Override
        public void sessionClosed(Session session) {
            MinaAttempt attempt = attempt(session);
            if (attempt != null) {
                attempt.closed();
            }
        }
    }
}
