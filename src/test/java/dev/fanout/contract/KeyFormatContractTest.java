package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Secret;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestKeys.Format;
import dev.fanout.testing.TestServer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every private key format {@code ssh-keygen} writes, encrypted and not, logs in to the real sshd with both
 * drivers; a wrong or missing passphrase stops the build of a {@link Fanout}, naming the key, never the passphrase.
 */
class KeyFormatContractTest {

    private static final String PASSPHRASE = "formats-passphrase-7311";
    private static final String WRONG = "not-the-passphrase-4096";

    private static final Map<Format, Path> PLAIN_KEYS = new EnumMap<>(Format.class);
    private static final Map<Format, Path> ENCRYPTED_KEYS = new EnumMap<>(Format.class);

    /** One key of each format, both ways, authorized on the real sshd. */
    @BeforeAll
    static void generateKeys() throws Exception {
        TestServer server = ContractServers.server("openssh");
        Path directory = ContractServers.scratch();
        for (Format format : Format.values()) {
            PLAIN_KEYS.put(format, TestKeys.generate(directory, format, ""));
            ENCRYPTED_KEYS.put(format, TestKeys.generate(directory, format, PASSPHRASE));
            server.authorize(Path.of(PLAIN_KEYS.get(format) + ".pub"));
            server.authorize(Path.of(ENCRYPTED_KEYS.get(format) + ".pub"));
        }
    }

    static Stream<Arguments> driversAndFormats() {
        return ContractServers.DRIVERS.stream().flatMap(driver -> Stream.of(Format.values())
                .map(format -> Arguments.of(driver, format)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("driversAndFormats")
    void logsInWithAnUnencryptedKey(String driver, Format format) {
        assertLogsIn(driver, Credentials.of(AuthMethod.privateKey(PLAIN_KEYS.get(format), null)));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("driversAndFormats")
    void logsInWithAnEncryptedKey(String driver, Format format) {
        assertLogsIn(driver, Credentials.of(AuthMethod.privateKey(ENCRYPTED_KEYS.get(format),
                Secret.of(PASSPHRASE))));
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("driversAndFormats")
    void refusesAWrongPassphraseWhenBuilt(String driver, Format format) {
        Path key = ENCRYPTED_KEYS.get(format);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> build(driver,
                Credentials.of(AuthMethod.privateKey(key, Secret.of(WRONG)))));
        assertEquals("private key " + key + ": wrong passphrase", refused.getMessage());
        assertNoSecretIn(refused);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.fanout.contract.ContractServers#drivers")
    void refusesAnEncryptedKeyWithoutPassphraseWhenBuilt(String driver) {
        Path key = ENCRYPTED_KEYS.get(Format.OPENSSH_ED25519);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> build(driver, Credentials.of(AuthMethod.privateKey(key, null))));
        assertEquals("private key " + key + " is encrypted and no passphrase was given", refused.getMessage());
    }

    /** A host's own credentials are checked with the defaults: none waits for its host to be contacted. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.fanout.contract.ContractServers#drivers")
    void refusesAWrongPassphraseInAHostsOwnCredentialsWhenBuilt(String driver) {
        TestServer server = ContractServers.server("openssh");
        Path key = ENCRYPTED_KEYS.get(Format.PKCS8_ECDSA);
        Fanout.Builder builder = Fanout.builder().driver(driver)
                .credentials(Credentials.of(AuthMethod.privateKey(PLAIN_KEYS.get(Format.OPENSSH_ED25519), null)))
                .hostCredentials(Map.of(server.host(TestServer.KEY_USER),
                        Credentials.of(AuthMethod.privateKey(key, Secret.of(WRONG)))))
                .hostKeyPolicy(dev.fanout.HostKeyPolicy.strict(server.knownHosts()));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals("private key " + key + ": wrong passphrase", refused.getMessage());
        assertNoSecretIn(refused);
    }

    private static Fanout build(String driver, Credentials credentials) {
        return ContractServers.fanout(driver, ContractServers.server("openssh"), credentials);
    }

    private static void assertLogsIn(String driver, Credentials credentials) {
        TestServer server = ContractServers.server("openssh");
        try (Fanout fanout = build(driver, credentials)) {
            assertEquals(TestServer.KEY_USER + "\n",
                    fanout.exec(server.host(TestServer.KEY_USER), Command.of("echo $USER")).stdout().text());
        }
    }

    private static void assertNoSecretIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            for (String secret : new String[] {WRONG, PASSPHRASE}) {
                assertFalse(String.valueOf(t.getMessage()).contains(secret), "passphrase in message of " + t);
                assertFalse(t.toString().contains(secret), "passphrase in " + t);
            }
        }
        assertTrue(failure.getMessage().contains("private key "), failure.getMessage());
    }
}
