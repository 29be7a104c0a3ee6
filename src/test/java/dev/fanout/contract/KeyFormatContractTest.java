package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Secret;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestKeys.Format;
import dev.fanout.testing.TestServer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;

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
        TestServer server = ContractServer.OPENSSH.server();
        Path directory = ContractServers.scratch();
        for (Format format : Format.values()) {
            PLAIN_KEYS.put(format, TestKeys.generate(directory, format, ""));
            ENCRYPTED_KEYS.put(format, TestKeys.generate(directory, format, PASSPHRASE));
            server.authorize(Path.of(PLAIN_KEYS.get(format) + ".pub"));
            server.authorize(Path.of(ENCRYPTED_KEYS.get(format) + ".pub"));
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH, each = Format.class)
    void logsInWithAnUnencryptedKey(ContractTarget target, Format format) {
        assertLogsIn(target, Credentials.of(AuthMethod.privateKey(PLAIN_KEYS.get(format), null)));
    }

    @ContractTest(servers = ContractServer.OPENSSH, each = Format.class)
    void logsInWithAnEncryptedKey(ContractTarget target, Format format) {
        assertLogsIn(target, Credentials.of(AuthMethod.privateKey(ENCRYPTED_KEYS.get(format),
                Secret.of(PASSPHRASE))));
    }

    @ContractTest(servers = ContractServer.OPENSSH, each = Format.class)
    void refusesAWrongPassphraseWhenBuilt(ContractTarget target, Format format) {
        Path key = ENCRYPTED_KEYS.get(format);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> target.fanout(Credentials.of(AuthMethod.privateKey(key, Secret.of(WRONG)))));
        assertEquals("private key " + key + ": wrong passphrase", refused.getMessage());
        assertNoSecretIn(refused);
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void refusesAnEncryptedKeyWithoutPassphraseWhenBuilt(ContractTarget target) {
        Path key = ENCRYPTED_KEYS.get(Format.OPENSSH_ED25519);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> target.fanout(Credentials.of(AuthMethod.privateKey(key, null))));
        assertEquals("private key " + key + " is encrypted and no passphrase was given", refused.getMessage());
    }

    /** A host's own credentials are checked with the defaults: none waits for its host to be contacted. */
    @ContractTest(servers = ContractServer.OPENSSH)
    void refusesAWrongPassphraseInAHostsOwnCredentialsWhenBuilt(ContractTarget target, TestServer server) {
        Path key = ENCRYPTED_KEYS.get(Format.PKCS8_ECDSA);
        Fanout.Builder builder = Fanout.builder()
                .credentials(Credentials.of(AuthMethod.privateKey(PLAIN_KEYS.get(Format.OPENSSH_ED25519), null)))
                .hostCredentials(Map.of(server.host(TestServer.KEY_USER),
                        Credentials.of(AuthMethod.privateKey(key, Secret.of(WRONG)))))
                .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts()));
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> target.fanout(builder));
        assertEquals("private key " + key + ": wrong passphrase", refused.getMessage());
        assertNoSecretIn(refused);
    }

    private static void assertLogsIn(ContractTarget target, Credentials credentials) {
        TestServer server = target.server();
        try (Fanout fanout = target.fanout(credentials)) {
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
