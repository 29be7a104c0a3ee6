package dev.fanout.internal.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Secret;
import dev.fanout.testing.SshAgent;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code AuthMethod.agent()} means the agent {@code SSH_AUTH_SOCK} names, checked before any host is contacted. */
class AgentSocketsTest {

    @TempDir
    Path dir;

    @Test
    void namesTheSocketOfSshAuthSock() throws Exception {
        try (SshAgent agent = SshAgent.start(dir)) {
            Credentials given = Credentials.of(AuthMethod.password(Secret.of("pw")), AuthMethod.agent());
            Credentials resolved = AgentSockets.resolve(given,
                    Map.of("SSH_AUTH_SOCK", agent.socket().toString())::get);
            assertEquals(List.of("password", "publickey"), resolved.methods().stream()
                    .map(AuthMethod::sshName).toList());
            assertEquals(AuthMethod.agent(agent.socket()), resolved.methods().get(1));
            Credentials named = Credentials.of(AuthMethod.agent(agent.socket()));
            assertSame(named, AgentSockets.resolve(named, name -> null));
        }
    }

    @Test
    void refusesAnAgentWhenSshAuthSockIsUnset() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AgentSockets.resolve(Credentials.of(AuthMethod.agent()), name -> null));
        assertTrue(refused.getMessage().contains("SSH_AUTH_SOCK is not set"), refused.getMessage());
    }

    @Test
    void refusesASshAuthSockWithoutAnAgentNamingIt() {
        Path missing = dir.resolve("gone.sock");
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> AgentSockets.resolve(Credentials.of(AuthMethod.agent()),
                        Map.of("SSH_AUTH_SOCK", missing.toString())::get));
        assertEquals("ssh-agent socket " + missing + " (SSH_AUTH_SOCK) does not exist (is the agent running?)",
                refused.getMessage());
    }
}
