package dev.fanout.internal.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Secret;
import dev.fanout.Timeouts;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.sshconfig.JumpHost;
import dev.fanout.internal.sshconfig.LocalUser;
import dev.fanout.internal.sshconfig.SshConfigParser;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.HostKeyVerifier;
import dev.fanout.testing.TestKeys;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What comes from the config and what from the caller, host by host, and that each host is worked out once. */
class ConfiguredRoutesTest {

    private static final Secret PASSWORD = Secret.of("pw");

    @TempDir
    Path dir;

    private final List<Credentials> prepared = new ArrayList<>();
    private ServerSocketChannel agent;
    private Path agentSocket;
    private Path key;

    @BeforeEach
    void setUp() throws Exception {
        agentSocket = dir.resolve("agent.sock");
        agent = ServerSocketChannel.open(StandardProtocolFamily.UNIX); // accepts connects into its backlog
        agent.bind(UnixDomainSocketAddress.of(agentSocket));
        key = TestKeys.generate(dir, TestKeys.Format.OPENSSH_ED25519, "");
    }

    @AfterEach
    void tearDown() throws Exception {
        agent.close();
    }

    private ConfiguredRoutes routes(Credentials credentials, HostKeyPolicy policy, Timeouts timeouts, String... lines)
            throws Exception {
        Path config = Files.write(dir.resolve("config"), List.of(lines));
        return new ConfiguredRoutes(
                SshConfigParser.file(config, new LocalUser(dir, "me", Map.<String, String>of()::get)),
                host -> Optional.of(credentials), policy, HostKeyVerifiers.forPolicy(policy), timeouts, prepared::add);
    }

    private ConfiguredRoutes routes(Credentials credentials, String... lines) throws Exception {
        return routes(credentials, HostKeyPolicy.strict(), Timeouts.DEFAULTS, lines);
    }

    private static List<String> methods(ConnectRequest request) {
        return request.credentials().methods().stream().map(AuthMethod::toString).toList();
    }

    @Test
    void connectsToHostNameUnderTheHostsOwnUserAndPortAndChecksTheKeyThere() throws Exception {
        ConfiguredRoutes routes = routes(Credentials.password(PASSWORD),
                "Host web*", "    HostName %h.DC1.example.com", "    User config-user", "    Port 2222");
        Host web1 = new Host("web1", 2200, "deploy");
        ConnectRequest request = routes.request(web1, Cancellation.none());
        assertEquals(web1, request.host());
        assertEquals(new Host("web1.dc1.example.com", 2200, "deploy"), request.endpoint());
        assertEquals("[web1.dc1.example.com]:2200", request.hostKeyName());
        ConnectRequest other = routes.request(new Host("db1", 22, "root"), Cancellation.none());
        assertEquals(other.host(), other.endpoint());
        assertEquals("db1", other.hostKeyName());
    }

    /** Config keys come after the credentials' own keys (first without any); agent() takes the config's agent. */
    @Test
    void addsConfigKeysAfterTheGivenKeysAndPointsTheAgentWhereTheConfigSays() throws Exception {
        Path other = TestKeys.generate(Files.createDirectories(dir.resolve("other")), TestKeys.Format.OPENSSH_ECDSA_256,
                "");
        AuthMethod given = AuthMethod.privateKey(other, null);
        String[] config = {"Host *", "    IdentityFile " + key, "    IdentityFile " + dir.resolve("missing"),
                "    IdentityAgent " + agentSocket};
        ConnectRequest keyFirst = routes(new Credentials(List.of(given, AuthMethod.agent(),
                AuthMethod.password(PASSWORD))), config).request(Host.of("u", "h"), Cancellation.none());
        assertEquals(List.of("PublicKey[" + other + "]", "PublicKey[" + key + "]", "Agent[" + agentSocket + "]",
                "Password[password=******]"), methods(keyFirst));
        ConnectRequest passwordOnly = routes(Credentials.password(PASSWORD), config).request(Host.of("u", "h"),
                Cancellation.none());
        assertEquals("PublicKey[" + key + "]", methods(passwordOnly).get(0));
        Path elsewhere = dir.resolve("named.sock");
        ConnectRequest named = routes(Credentials.of(AuthMethod.agent(elsewhere)), config)
                .request(Host.of("u", "h"), Cancellation.none());
        assertEquals(List.of("PublicKey[" + key + "]", "Agent[" + elsewhere + "]"), methods(named));
    }

    @Test
    void dropsTheAgentUnderIdentitiesOnlyAndIdentityAgentNone() throws Exception {
        Credentials agentAndPassword = Credentials.of(AuthMethod.agent(), AuthMethod.password(PASSWORD));
        ConfiguredRoutes routes = routes(agentAndPassword, "Host only", "    IdentitiesOnly yes", "Host none",
                "    IdentityAgent none", "Host *", "    IdentityAgent " + agentSocket);
        assertEquals(List.of("Password[password=******]"), methods(routes.request(Host.of("u", "only"),
                Cancellation.none())));
        assertEquals(List.of("Password[password=******]"), methods(routes.request(Host.of("u", "none"),
                Cancellation.none())));
        assertEquals("Agent[" + agentSocket + "]", methods(routes.request(Host.of("u", "rest"),
                Cancellation.none())).get(0));
    }

    /** Hosts the config treats alike share one credentials instance, decoded once, whatever their number. */
    @Test
    void resolvesEachHostOnceAndSharesEqualCredentials() throws Exception {
        ConfiguredRoutes routes = routes(Credentials.password(PASSWORD), "Host *", "    IdentityFile " + key);
        List<Host> hosts = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            hosts.add(Host.of("u", "h" + i));
        }
        routes.prepare(hosts);
        routes.prepare(hosts);
        Credentials first = routes.request(hosts.get(0), Cancellation.none()).credentials();
        assertSame(first, routes.request(hosts.get(499), Cancellation.none()).credentials());
        assertEquals(2, prepared.size(), "the config key alone, then the host's credentials: " + prepared);
    }

    /** Settings left at their defaults yield to the config; anything else set wins for every host. */
    @Test
    void letsExplicitPolicyAndConnectTimeoutWinOverTheConfig() throws Exception {
        String[] config = {"Host *", "    UserKnownHostsFile " + dir.resolve("kh"),
                "    StrictHostKeyChecking accept-new", "    ConnectTimeout 3"};
        ConnectRequest fromConfig = routes(Credentials.password(PASSWORD), config).request(Host.of("u", "h"),
                Cancellation.none());
        assertEquals(Duration.ofSeconds(3), fromConfig.timeouts().connect());
        HostKeyPolicy explicit = HostKeyPolicy.strict(dir.resolve("explicit_known_hosts"));
        HostKeyVerifier explicitVerifier = HostKeyVerifiers.forPolicy(explicit);
        Timeouts explicitTimeouts = Timeouts.DEFAULTS.withConnect(Duration.ofSeconds(7));
        Path file = Files.write(dir.resolve("config"), List.of(config));
        ConfiguredRoutes routes = new ConfiguredRoutes(SshConfigParser.file(file, LocalUser.current()),
                host -> Optional.of(Credentials.password(PASSWORD)), explicit, explicitVerifier, explicitTimeouts,
                prepared::add);
        ConnectRequest explicitRequest = routes.request(Host.of("u", "h"), Cancellation.none());
        assertSame(explicitVerifier, explicitRequest.hostKeyVerifier());
        assertEquals(Duration.ofSeconds(7), explicitRequest.timeouts().connect());
        assertNotSame(explicitVerifier, fromConfig.hostKeyVerifier());
    }

    @Test
    void keepsProxyJumpAsDataOnTheRoute() throws Exception {
        ConfiguredRoutes routes = routes(Credentials.password(PASSWORD), "Host inner-*",
                "    ProxyJump ops@bastion:2201,relay");
        assertEquals(List.of(new JumpHost(Optional.of("ops"), "bastion", OptionalInt.of(2201)),
                new JumpHost(Optional.empty(), "relay", OptionalInt.empty())),
                routes.route(Host.of("u", "inner-1")).proxyJump());
        assertEquals(List.of(), routes.route(Host.of("u", "outer")).proxyJump());
    }

    @Test
    void refusesAHostTheConfigCannotServeNamingHostFileAndLine() throws Exception {
        ConfiguredRoutes routes = routes(Credentials.of(AuthMethod.agent()), "Host bad", "    HostName bad_name!",
                "Host gone", "    IdentityAgent " + dir.resolve("gone.sock"));
        IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
                () -> routes.prepare(List.of(Host.of("u", "bad"))));
        assertTrue(badName.getMessage().startsWith("u@bad:22: " + dir.resolve("config") + ":2: HostName bad_name!"),
                badName.getMessage());
        IllegalArgumentException noAgent = assertThrows(IllegalArgumentException.class,
                () -> routes.prepare(List.of(Host.of("u", "gone"))));
        assertEquals("u@gone:22: ssh-agent socket " + dir.resolve("gone.sock") + " (IdentityAgent at "
                + dir.resolve("config") + ":4) does not exist (is the agent running?)", noAgent.getMessage());
    }
}
