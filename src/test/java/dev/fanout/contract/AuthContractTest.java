package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Command;
import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.KeyboardInteractiveResponder;
import dev.fanout.Secret;
import dev.fanout.error.AuthenticationFailedException;
import dev.fanout.error.Phase;
import dev.fanout.testing.MinaTestServer;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Logging in: every method, the same outcome from both drivers against both servers. */
class AuthContractTest {

    private static final String TARGETS = "dev.fanout.contract.ContractServers#targets";

    private static void assertLogsIn(String driver, TestServer server, String user, Credentials credentials) {
        try (Fanout fanout = ContractServers.fanout(driver, server, credentials)) {
            assertEquals(user + "\n", fanout.exec(server.host(user), Command.of("echo $USER")).stdout().text());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void logsInWithAPassword(String driver, String serverName) {
        TestServer server = ContractServers.server(serverName);
        assertLogsIn(driver, server, TestServer.PASSWORD_USER,
                Credentials.of(AuthMethod.password(server.password())));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void answersKeyboardInteractiveOnlyServersWithThePassword(String driver, String serverName) {
        TestServer server = ContractServers.server(serverName);
        assertLogsIn(driver, server, TestServer.KBD_USER, Credentials.password(server.password()));
    }

    static Stream<Arguments> keyTargets() {
        return ContractServers.targets().flatMap(target -> Stream.of(TestKeys.Type.values())
                .map(type -> Arguments.of(target.get()[0], target.get()[1], type)));
    }

    @ParameterizedTest(name = "{0} -> {1}, {2} key")
    @MethodSource("keyTargets")
    void logsInWithAnEncryptedPrivateKey(String driver, String serverName, TestKeys.Type type) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path key = TestKeys.generate(ContractServers.keys(), type);
        assertLogsIn(driver, server, TestServer.KEY_USER,
                Credentials.of(AuthMethod.privateKey(key, Secret.of(TestKeys.PASSPHRASE))));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void triesMethodsInTurnUntilOneWorks(String driver, String serverName) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path key = TestKeys.generate(ContractServers.keys(), TestKeys.Type.ED25519);
        Credentials both = Credentials.of(AuthMethod.privateKey(key, Secret.of(TestKeys.PASSPHRASE)))
                .orElse(Credentials.password(server.password()).methods().toArray(AuthMethod[]::new));
        assertLogsIn(driver, server, TestServer.PASSWORD_USER, both);
        assertLogsIn(driver, server, TestServer.KEY_USER, both);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void refusesAWrongPasswordWithoutEverShowingIt(String driver, String serverName) {
        TestServer server = ContractServers.server(serverName);
        String wrong = "wrong-" + server.password().reveal().hashCode();
        try (Fanout fanout = ContractServers.fanout(driver, server, Credentials.password(Secret.of(wrong)))) {
            AuthenticationFailedException failure = assertThrows(AuthenticationFailedException.class,
                    () -> fanout.connect(server.host(TestServer.PASSWORD_USER)));
            assertEquals(Phase.AUTH, failure.phase());
            assertEquals(driver, failure.driver());
            assertFalse(failure.retryable());
            assertTrue(failure.getMessage().contains(server.host(TestServer.PASSWORD_USER).toString()),
                    failure.getMessage());
            assertNoSecretIn(failure, wrong);
            assertNoSecretIn(failure, server.password().reveal());
        }
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource(TARGETS)
    void refusesAKeyTheServerDoesNotKnow(String driver, String serverName) throws Exception {
        TestServer server = ContractServers.server(serverName);
        Path stranger = TestKeys.generate(ContractServers.scratch(), TestKeys.Type.ED25519);
        try (Fanout fanout = ContractServers.fanout(driver, server,
                Credentials.of(AuthMethod.privateKey(stranger, Secret.of(TestKeys.PASSPHRASE))))) {
            assertThrows(AuthenticationFailedException.class, () -> fanout.connect(server.host(TestServer.KEY_USER)));
        }
    }

    @ParameterizedTest(name = "{0} -> mina-server")
    @MethodSource("dev.fanout.contract.ContractServers#drivers")
    void answersOneTimeCodePromptsThroughAResponder(String driver) {
        MinaTestServer server = ContractServers.mina();
        List<KeyboardInteractiveResponder.Challenge> seen = new ArrayList<>();
        KeyboardInteractiveResponder otp = (host, challenge) -> {
            seen.add(challenge);
            return challenge.prompts().stream()
                    .map(prompt -> prompt.text().startsWith("Verification") ? MinaTestServer.OTP
                            : server.password().reveal())
                    .toList();
        };
        assertLogsIn(driver, server, MinaTestServer.OTP_USER, Credentials.of(AuthMethod.keyboardInteractive(otp)));
        assertEquals(List.of("Password: ", "Verification code: "),
                seen.get(0).prompts().stream().map(KeyboardInteractiveResponder.Prompt::text).toList());
    }

    @ParameterizedTest(name = "{0} -> mina-server")
    @MethodSource("dev.fanout.contract.ContractServers#drivers")
    void neverTypesThePasswordIntoAOneTimeCodePrompt(String driver) {
        MinaTestServer server = ContractServers.mina();
        try (Fanout fanout = ContractServers.fanout(driver, server, Credentials.password(server.password()))) {
            assertThrows(AuthenticationFailedException.class,
                    () -> fanout.connect(server.host(MinaTestServer.OTP_USER)));
        }
    }

    private static void assertNoSecretIn(Throwable failure, String secret) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in message of " + t);
            assertFalse(t.toString().contains(secret), "secret in " + t);
        }
    }
}
