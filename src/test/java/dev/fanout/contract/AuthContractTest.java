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
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractServers;
import dev.fanout.testing.ContractTarget;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.MinaTestServer;
import dev.fanout.testing.TestKeys;
import dev.fanout.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Logging in: every method, the same outcome from both drivers against both servers. */
class AuthContractTest {

    private static void assertLogsIn(ContractTarget target, String user, Credentials credentials) {
        try (Fanout fanout = target.fanout(credentials)) {
            assertEquals(user + "\n",
                    fanout.exec(target.server().host(user), Command.of("echo $USER")).stdout().text());
        }
    }

    @ContractTest
    void logsInWithAPassword(ContractTarget target, TestServer server) {
        assertLogsIn(target, TestServer.PASSWORD_USER, Credentials.of(AuthMethod.password(server.password())));
    }

    @ContractTest
    void answersKeyboardInteractiveOnlyServersWithThePassword(ContractTarget target, TestServer server) {
        assertLogsIn(target, TestServer.KBD_USER, Credentials.password(server.password()));
    }

    @ContractTest(each = TestKeys.Type.class)
    void logsInWithAnEncryptedPrivateKey(ContractTarget target, TestKeys.Type type) throws Exception {
        Path key = TestKeys.generate(ContractServers.keys(), type);
        assertLogsIn(target, TestServer.KEY_USER,
                Credentials.of(AuthMethod.privateKey(key, Secret.of(TestKeys.PASSPHRASE))));
    }

    @ContractTest
    void triesMethodsInTurnUntilOneWorks(ContractTarget target, TestServer server) throws Exception {
        Path key = TestKeys.generate(ContractServers.keys(), TestKeys.Type.ED25519);
        Credentials both = Credentials.of(AuthMethod.privateKey(key, Secret.of(TestKeys.PASSPHRASE)))
                .orElse(Credentials.password(server.password()).methods().toArray(AuthMethod[]::new));
        assertLogsIn(target, TestServer.PASSWORD_USER, both);
        assertLogsIn(target, TestServer.KEY_USER, both);
    }

    @ContractTest
    void refusesAWrongPasswordWithoutEverShowingIt(ContractTarget target, TestServer server) {
        String wrong = "wrong-" + server.password().reveal().hashCode();
        try (Fanout fanout = target.fanout(Credentials.password(Secret.of(wrong)))) {
            AuthenticationFailedException failure = assertThrows(AuthenticationFailedException.class,
                    () -> fanout.connect(server.host(TestServer.PASSWORD_USER)));
            assertEquals(Phase.AUTH, failure.phase());
            assertEquals(target.driver().id(), failure.driver());
            assertFalse(failure.retryable());
            assertTrue(failure.getMessage().contains(server.host(TestServer.PASSWORD_USER).toString()),
                    failure.getMessage());
            assertNoSecretIn(failure, wrong);
            assertNoSecretIn(failure, server.password().reveal());
        }
    }

    @ContractTest
    void refusesAKeyTheServerDoesNotKnow(ContractTarget target, TestServer server) throws Exception {
        Path stranger = TestKeys.generate(ContractServers.scratch(), TestKeys.Type.ED25519);
        try (Fanout fanout = target.fanout(
                Credentials.of(AuthMethod.privateKey(stranger, Secret.of(TestKeys.PASSPHRASE))))) {
            assertThrows(AuthenticationFailedException.class, () -> fanout.connect(server.host(TestServer.KEY_USER)));
        }
    }

    @ContractTest(servers = ContractServer.MINA_SERVER)
    void answersOneTimeCodePromptsThroughAResponder(ContractTarget target, MinaTestServer server) {
        List<KeyboardInteractiveResponder.Challenge> seen = new ArrayList<>();
        KeyboardInteractiveResponder otp = (host, challenge) -> {
            seen.add(challenge);
            return challenge.prompts().stream()
                    .map(prompt -> prompt.text().startsWith("Verification") ? MinaTestServer.OTP
                            : server.password().reveal())
                    .toList();
        };
        assertLogsIn(target, MinaTestServer.OTP_USER, Credentials.of(AuthMethod.keyboardInteractive(otp)));
        assertEquals(List.of("Password: ", "Verification code: "),
                seen.get(0).prompts().stream().map(KeyboardInteractiveResponder.Prompt::text).toList());
    }

    @ContractTest(servers = ContractServer.MINA_SERVER)
    void neverTypesThePasswordIntoAOneTimeCodePrompt(MinaTestServer server, Fanout fanout) {
        assertThrows(AuthenticationFailedException.class, () -> fanout.connect(server.host(MinaTestServer.OTP_USER)));
    }

    private static void assertNoSecretIn(Throwable failure, String secret) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains(secret), "secret in message of " + t);
            assertFalse(t.toString().contains(secret), "secret in " + t);
        }
    }
}
