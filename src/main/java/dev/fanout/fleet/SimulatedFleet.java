package dev.fanout.fleet;

import dev.fanout.Host;
import dev.fanout.internal.OpenFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.io.IoSession;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.DirectTcpipFactory;
import org.apache.sshd.server.forward.StaticDecisionForwardingFilter;
import org.apache.sshd.server.forward.TcpipServerChannel;
import org.apache.sshd.server.session.ServerConnectionServiceFactory;
import org.apache.sshd.server.session.ServerSessionImpl;
import org.apache.sshd.server.session.SessionFactory;

/**
 * A fleet of simulated Linux hosts on loopback that real SSH clients cannot tell from real machines at the
 * protocol level: for tests, the demo and the benchmarks, as MockWebServer is for HTTP clients.
 *
 * <p>Each host has its own address, 127.101.x.y (host {@code i} at 127.101.{@code i/254}.{@code i%254+1}), all on one
 * port, and its own ECDSA host key. Each address is a listening socket and each connection one more, so a fleet needs
 * more open files than it has hosts: past the process's limit, serve the hosts from two fleets, each with its share
 * ({@link FleetConfig#withFirstHost(int)}) on one port. One Apache MINA SSHD server serves them all with a small fixed
 * number of threads: MINA's NIO workers and one timer that carries out every simulated delay (banner, authentication,
 * command), so 5,000 hosts need no thread each. Commands run in each host's in-memory shell ({@code uname -sr}, files,
 * {@code nohup ... &} jobs in simulated time); faults and latencies come from {@link FleetConfig}.
 *
 * <pre>{@code
 * try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(500, "root", Secret.of("pw"))
 *         .withLatency(Latency.parse("100ms")))) {
 *     fleet.writeKnownHosts(knownHosts);
 *     List<Host> hosts = fleet.hosts();
 *     ...
 * }
 * }</pre>
 *
 * <p>Thread-safe; {@link #close()} stops the server and the timer.
 */
public final class SimulatedFleet implements AutoCloseable {

    private static final int BACKLOG = 1024;
    /** Connections at once a fleet must have open files for, besides its listening sockets. */
    private static final int CONNECTION_ROOM = 512;
    private static final int BIND_ATTEMPTS = 5;
    /** Per-session read buffer: simulated hosts receive little; MINA's 32 KiB default would dominate their memory. */
    private static final int READ_BUFFER_BYTES = 4 * 1024;
    /** Bytes a client may send on a channel before the fleet has read them (MINA's default is 2 MiB per channel). */
    private static final long CHANNEL_WINDOW_BYTES = 256 * 1024;

    /** The bastion's address, outside the hosts' 127.101.0.0/16. */
    private static final byte[] BASTION_ADDRESS = {127, 100, 0, 1};

    private final FleetConfig config;
    private final FleetRuntime runtime;
    private final List<SimulatedHost> hosts;
    /** The bastion, when the hosts are reachable only through one. */
    private final Optional<SimulatedHost> bastion;
    private final Map<InetAddress, SimulatedHost> byAddress = new HashMap<>();
    private final AtomicInteger bastionLogins = new AtomicInteger();
    private final AtomicInteger bastionChannels = new AtomicInteger();
    private final AtomicInteger handshakesInFlight = new AtomicInteger();
    private final AtomicInteger peakHandshakes = new AtomicInteger();
    private final SshServer server;
    private final int port;

    private SimulatedFleet(FleetConfig config, List<PublicKey> authorizedKeys, int requestedPort) throws IOException {
        this.config = config;
        this.runtime = new FleetRuntime(config);
        this.hosts = buildHosts(config);
        this.bastion = config.bastion() ? Optional.of(buildBastion(config)) : Optional.empty();
        hosts.forEach(host -> byAddress.put(host.address(), host));
        bastion.ifPresent(host -> byAddress.put(host.address(), host));
        this.server = newServer(authorizedKeys);
        this.port = bind(requestedPort);
    }

    /**
     * Starts a fleet on a free port.
     *
     * @throws IOException if the addresses cannot be bound
     */
    public static SimulatedFleet start(FleetConfig config) throws IOException {
        return start(config, List.of(), 0);
    }

    /**
     * Starts a fleet.
     *
     * @param authorizedKeys public keys every host accepts for the fleet's user
     * @param port the port to listen on, or 0 for a free one
     * @throws IOException if the addresses cannot be bound (a port in use, too many hosts for the open-file limit)
     */
    public static SimulatedFleet start(FleetConfig config, List<PublicKey> authorizedKeys, int port)
            throws IOException {
        requireOpenFilesFor(config);
        return new SimulatedFleet(config, authorizedKeys, port);
    }

    /**
     * Refuses a fleet whose listening sockets would leave fewer than {@link #CONNECTION_ROOM} connections (or one
     * per host, if fewer) under the process's open-file limit: past it, new connections would wait unaccepted and
     * clients would see time-outs, not the cause.
     */
    private static void requireOpenFilesFor(FleetConfig config) throws IOException {
        Optional<OpenFiles> files = OpenFiles.now();
        if (files.isEmpty()) {
            return;
        }
        int hosts = config.hosts();
        long listening = (long) hosts + (config.bastion() ? 1 : 0);
        long needed = listening + Math.min(hosts, CONNECTION_ROOM);
        if (needed <= files.get().spare()) {
            return;
        }
        int half = hosts / 2;
        throw new IOException("cannot serve " + hosts + " hosts in one process: each host listens on a socket of its "
                + "own and each connection takes one more, " + needed + " files with room for "
                + Math.min(hosts, CONNECTION_ROOM) + " connections, but the open-file limit is "
                + files.get().limit() + " and " + files.get().open() + " are open; " + OpenFiles.HOW_TO_RAISE
                + ", or split the fleet over two processes on one port: --hosts " + half + " --first-host "
                + config.firstHost() + " --port P, and --hosts " + (hosts - half) + " --first-host "
                + (config.firstHost() + half) + " --port P");
    }

    private static List<SimulatedHost> buildHosts(FleetConfig config) {
        Random random = new Random(config.seed());
        KeyPairGenerator generator;
        try {
            generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has EC P-256", e);
        }
        List<SimulatedHost> built = new ArrayList<>(config.hosts());
        SharedContents shared = new SharedContents();
        int end = config.firstHost() + config.hosts();
        for (int i = 0; i < end; i++) { // the hosts before the first draw too, to get the faults they get together
            Set<FaultType> faults = EnumSet.noneOf(FaultType.class);
            long hugeBytes = 0;
            long freeBytes = Long.MAX_VALUE;
            for (Fault fault : config.faults()) {
                boolean drawn = random.nextDouble() < fault.fraction();
                if (drawn || fault.hosts().contains(i)) {
                    faults.add(fault.type());
                    if (fault.type() == FaultType.DISK_FULL) {
                        freeBytes = fault.bytes();
                    } else {
                        hugeBytes = Math.max(hugeBytes, fault.bytes());
                    }
                }
            }
            boolean keyboardInteractiveOnly = random.nextDouble() < config.keyboardInteractiveFraction();
            if (i < config.firstHost()) {
                continue;
            }
            KeyPair published = generator.generateKeyPair();
            KeyPair served = faults.contains(FaultType.HOST_KEY_CHANGED) ? generator.generateKeyPair() : published;
            built.add(new SimulatedHost(i, SimulatedHost.addressOf(i), String.format("sim-%05d", i),
                    "5.10.0-" + (20 + i % 8) + "-amd64", config.user(), published, served, Set.copyOf(faults),
                    hugeBytes, keyboardInteractiveOnly, new SimulatedHost.FileSystemHolder(shared, freeBytes)));
        }
        return List.copyOf(built);
    }

    /** The bastion: a host like the others, at 127.100.0.1, named {@code sim-bastion}, with no faults. */
    private static SimulatedHost buildBastion(FleetConfig config) {
        KeyPair key;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            key = generator.generateKeyPair();
            return new SimulatedHost(-1, InetAddress.getByAddress(BASTION_ADDRESS), "sim-bastion",
                    "5.10.0-20-amd64", config.user(), key, key, Set.of(), 0, false,
                    new SimulatedHost.FileSystemHolder(new SharedContents(), Long.MAX_VALUE));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("every JDK has EC P-256, and a 4-byte address is valid", e);
        }
    }

    private SshServer newServer(List<PublicKey> authorizedKeys) {
        SshServer sshd = SshServer.setUpDefaultServer();
        CoreModuleProperties.SOCKET_BACKLOG.set(sshd, BACKLOG);
        CoreModuleProperties.TCP_NODELAY.set(sshd, true);
        CoreModuleProperties.NIO2_READ_BUFFER_SIZE.set(sshd, READ_BUFFER_BYTES);
        CoreModuleProperties.WINDOW_SIZE.set(sshd, CHANNEL_WINDOW_BYTES);
        FleetAuthenticator authenticator = new FleetAuthenticator(runtime, authorizedKeys);
        sshd.setPasswordAuthenticator(authenticator);
        sshd.setKeyboardInteractiveAuthenticator(authenticator);
        sshd.setPublickeyAuthenticator(authenticator);
        sshd.setServiceFactories(List.of(new FleetUserAuthService.Factory(runtime),
                ServerConnectionServiceFactory.INSTANCE));
        sshd.setKeyPairProvider(new PerHostKeys());
        sshd.setCommandFactory((channel, command) -> new SimulatedCommand(runtime,
                ((FleetSession) channel.getSession()).host(), command));
        sshd.setSubsystemFactories(List.of(new FleetSftp.Factory(runtime)));
        sshd.setSessionFactory(new SessionFactory(sshd) {
            @Override
            protected ServerSessionImpl doCreateSession(IoSession io) throws Exception {
                SimulatedHost host = hostAt(io.getLocalAddress());
                return new FleetSession(sshd, io, runtime, host, admitted(host, io.getRemoteAddress()),
                        handshakesInFlight, peakHandshakes);
            }
        });
        sshd.addSessionListener(new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated && isBastion(session)) {
                    bastionLogins.incrementAndGet();
                }
            }

            @Override
            public void sessionClosed(Session session) {
                if (session instanceof FleetSession fleetSession) {
                    fleetSession.handshakeDone();
                }
            }
        });
        bastion.ifPresent(gateway -> {
            sshd.setForwardingFilter(new BastionForwarding());
            sshd.setChannelFactories(sshd.getChannelFactories().stream()
                    .map(factory -> factory instanceof DirectTcpipFactory ? new BastionChannels(gateway.address())
                            : factory)
                    .toList());
        });
        return sshd;
    }

    /** With a bastion, a host takes connections from the bastion's address alone; the bastion from anyone. */
    private boolean admitted(SimulatedHost host, SocketAddress remote) {
        if (bastion.isEmpty() || host.address().equals(bastion.get().address())) {
            return true;
        }
        return remote instanceof InetSocketAddress inet && inet.getAddress().equals(bastion.get().address());
    }

    private boolean isBastion(Session session) {
        return session instanceof FleetSession fleetSession && bastion.isPresent()
                && fleetSession.host().address().equals(bastion.get().address());
    }

    /**
     * The bastion's {@code direct-tcpip} channels: only a session logged in to the bastion may open one, and only to
     * a host of the fleet, on the fleet's port; each one opened is counted.
     */
    private final class BastionForwarding extends StaticDecisionForwardingFilter {
        private final Set<String> hostAddresses = hosts.stream().map(host -> host.address().getHostAddress())
                .collect(Collectors.toUnmodifiableSet());

        BastionForwarding() {
            super(false);
        }

        @Override
        public boolean canConnect(Type type, SshdSocketAddress address, Session session) {
            boolean allowed = type == Type.Direct && isBastion(session) && address.getPort() == port
                    && hostAddresses.contains(address.getHostName());
            if (allowed) {
                bastionChannels.incrementAndGet();
            }
            return allowed;
        }
    }

    /** The bastion connects to the hosts from its own address, the one they take connections from. */
    private static final class BastionChannels extends DirectTcpipFactory {
        private final InetAddress source;

        BastionChannels(InetAddress source) {
            this.source = source;
        }

        @Override
        public Channel createChannel(Session session) throws IOException {
            Channel channel = super.createChannel(session);
            if (channel instanceof TcpipServerChannel tcpip) {
                tcpip.setLocalAddress(new InetSocketAddress(source, 0));
            }
            return channel;
        }
    }

    private int bind(int requestedPort) throws IOException {
        List<String> addresses = new ArrayList<>(hosts.stream().filter(host -> !host.has(FaultType.REFUSE))
                .map(host -> host.address().getHostAddress()).toList());
        bastion.ifPresent(host -> addresses.add(host.address().getHostAddress()));
        if (addresses.isEmpty()) {
            return requestedPort == 0 ? freePort(hosts.get(0).address()) : requestedPort;
        }
        server.setHost(String.join(",", addresses));
        IOException last = null;
        for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
            int candidate = requestedPort != 0 ? requestedPort : freePort(InetAddress.getByName(addresses.get(0)));
            server.setPort(candidate);
            try {
                server.start();
                return candidate;
            } catch (BindException e) {
                last = e;
                server.stop(true);
                if (requestedPort != 0) {
                    break;
                }
            }
        }
        runtime.shutdown();
        throw new IOException("cannot bind the fleet's " + addresses.size() + " addresses"
                + (requestedPort != 0 ? " on port " + requestedPort : "") + ": " + last.getMessage(), last);
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    private SimulatedHost hostAt(SocketAddress local) {
        SimulatedHost host = local instanceof InetSocketAddress inet ? byAddress.get(inet.getAddress()) : null;
        if (host == null) {
            throw new IllegalStateException("connection on an address outside the fleet: " + local);
        }
        return host;
    }

    /**
     * Reads an OpenSSH authorized_keys file (blank lines and comments skipped).
     *
     * @throws IllegalArgumentException naming the file and line of a key that cannot be read
     */
    public static List<PublicKey> readAuthorizedKeys(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read authorized keys " + file + ": " + e.getMessage(), e);
        }
        List<PublicKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                keys.add(AuthorizedKeyEntry.parseAuthorizedKeyEntry(line)
                        .resolvePublicKey(null, PublicKeyEntryResolver.FAILING));
            } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
                throw new IllegalArgumentException("authorized keys " + file + ", line " + (i + 1) + ": "
                        + e.getMessage(), e);
            }
        }
        return keys;
    }

    /** The configuration it runs. */
    public FleetConfig config() {
        return config;
    }

    /** The port every host listens on. */
    public int port() {
        return port;
    }

    /** Every host's endpoint, in index order, as {@code user@127.101.x.y:port}. */
    public List<Host> hosts() {
        return hosts.stream().map(host -> new Host(host.address().getHostAddress(), port, config.user())).toList();
    }

    /** The inventory as a plain list: one {@code user@address:port} a line. */
    public List<String> inventoryLines() {
        return hosts().stream().map(Host::toString).toList();
    }

    /** A known_hosts line per host with the key it publishes, and one for the bastion, if there is one. */
    public List<String> knownHostsLines() {
        List<SimulatedHost> all = new ArrayList<>(hosts);
        bastion.ifPresent(all::add);
        return all.stream().map(host -> new Host(host.address().getHostAddress(), port, config.user())
                .knownHostsName() + " " + PublicKeyEntry.toString(host.publishedKey().getPublic())).toList();
    }

    /**
     * The bastion, {@code user@127.100.0.1:port}, when the hosts are reachable only through it
     * ({@link FleetConfig#bastion()}): each host takes connections from the bastion's address alone (others are
     * closed before the banner), and the bastion opens {@code direct-tcpip} channels to the hosts only.
     */
    public Optional<Host> bastion() {
        return bastion.map(host -> new Host(host.address().getHostAddress(), port, config.user()));
    }

    /** Logins to the bastion so far (authenticated sessions). */
    public int bastionLogins() {
        return bastionLogins.get();
    }

    /** {@code direct-tcpip} channels the bastion opened to hosts so far. */
    public int bastionChannels() {
        return bastionChannels.get();
    }

    /** Writes {@link #inventoryLines()} to a file. */
    public void writeInventory(Path file) {
        write(file, inventoryLines());
    }

    /** Writes {@link #knownHostsLines()} to a file. */
    public void writeKnownHosts(Path file) {
        write(file, knownHostsLines());
    }

    private static void write(Path file, List<String> lines) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The faults host {@code index} shows. */
    public Set<FaultType> faultsOf(int index) {
        return hosts.get(index).faults();
    }

    /** Whether host {@code index} offers keyboard-interactive authentication only. */
    public boolean keyboardInteractiveOnly(int index) {
        return hosts.get(index).keyboardInteractiveOnly();
    }

    /** Host {@code index}'s file system, for tests that check what a transfer left there. */
    FleetFileSystem filesOf(int index) {
        return hosts.get(index).files();
    }

    /**
     * Connections in their handshake now: from the server's first look at them until authentication succeeds (just
     * before the client hears of it) or they close. The {@link FleetConfig#maxStartups()} limit counts these.
     */
    public int handshakesInFlight() {
        return handshakesInFlight.get();
    }

    /** The most {@linkplain #handshakesInFlight() handshakes in flight} at once since the fleet started. */
    public int peakHandshakesInFlight() {
        return peakHandshakes.get();
    }

    /** Sessions open now, authenticated or not. */
    public int activeSessions() {
        return server.getActiveSessions().size();
    }

    /** Drops every connection at once, as a restarted server would; the hosts keep listening. */
    public void dropSessions() {
        server.getActiveSessions().forEach(session -> session.close(true));
    }

    /** Stops the server (closing every session) and the timer. */
    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            runtime.shutdown();
        }
    }

    /** Gives each session the host key of the host it reached. */
    private final class PerHostKeys implements KeyPairProvider {
        @Override
        public Iterable<KeyPair> loadKeys(SessionContext session) {
            if (session instanceof FleetSession fleetSession) {
                return List.of(fleetSession.host().servedKey());
            }
            return List.of(hosts.get(0).servedKey()); // before the session knows its host
        }
    }
}
