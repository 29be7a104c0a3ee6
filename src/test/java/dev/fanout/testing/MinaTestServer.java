package dev.fanout.testing;

import dev.fanout.Host;
import dev.fanout.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.keyboard.InteractiveChallenge;
import org.apache.sshd.server.auth.keyboard.KeyboardInteractiveAuthenticator;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process Apache MINA SSHD server on 127.0.0.1 and a free port, with an EC host key made for it, the test
 * users of {@link TestServer}, and commands run by {@code bash} (as root, with {@code USER} set to the login user).
 * Besides those users, {@link #OTP_USER} logs in
 * with keyboard-interactive only, answering two prompts: "Password: " and "Verification code: " ({@link #OTP}).
 */
public final class MinaTestServer implements TestServer {

    /** A user whose keyboard-interactive login asks for the password and a one-time code. */
    public static final String OTP_USER = "fanout-otp";
    /** The one-time code {@link #OTP_USER} must give. */
    public static final String OTP = "246810";

    private final SshServer server;
    private final Path knownHosts;
    private final String hostKeyLine;
    private final Secret password = Secret.of("mina-" + Long.toHexString(System.nanoTime()));
    private final List<PublicKey> authorizedKeys = new CopyOnWriteArrayList<>();

    /** Starts the server; keys for {@link #KEY_USER} are read from {@code keyDirectory} ({@link TestKeys}). */
    public MinaTestServer(Path workDirectory, Path keyDirectory) {
        try {
            for (String line : TestKeys.publicKeyLines(keyDirectory)) {
                authorizedKeys.add(parsePublicKey(line));
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            KeyPair hostKey = generator.generateKeyPair();
            server = SshServer.setUpDefaultServer();
            server.setHost("127.0.0.1");
            server.setPort(0);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            server.setPasswordAuthenticator(
                    (user, given, session) -> PASSWORD_USER.equals(user) && given.equals(password.reveal()));
            server.setKeyboardInteractiveAuthenticator(new Challenges());
            server.setPublickeyAuthenticator((user, key, session) -> KEY_USER.equals(user)
                    && authorizedKeys.stream().anyMatch(known -> KeyUtils.compareKeys(known, key)));
            server.setCommandFactory((channel, command) -> new ShellCommand(command));
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.start();
            hostKeyLine = PublicKeyEntry.toString(hostKey.getPublic());
            knownHosts = workDirectory.resolve("mina_known_hosts");
            Files.writeString(knownHosts, host(PASSWORD_USER).knownHostsName() + " " + hostKeyLine + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String name() {
        return "mina-server";
    }

    @Override
    public Host host(String user) {
        return new Host("127.0.0.1", server.getPort(), user);
    }

    @Override
    public Path knownHosts() {
        return knownHosts;
    }

    @Override
    public String hostKeyLine() {
        return hostKeyLine;
    }

    @Override
    public Secret password() {
        return password;
    }

    @Override
    public void authorize(Path publicKeyFile) {
        try {
            authorizedKeys.add(parsePublicKey(Files.readString(publicKeyFile).strip()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static PublicKey parsePublicKey(String line) throws IOException, GeneralSecurityException {
        return AuthorizedKeyEntry.parseAuthorizedKeyEntry(line).resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
    }

    @Override
    public void killSessions() {
        server.getActiveSessions().forEach(session -> session.close(true));
    }

    /** Each open session: its user (none before authentication) and the client's address. */
    @Override
    public List<String> openSessions() {
        return server.getActiveSessions().stream()
                .map(session -> "session of " + session.getUsername() + " from "
                        + session.getIoSession().getRemoteAddress())
                .toList();
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Keyboard-interactive: "Password: " for the password users; password and one-time code for the OTP user. */
    private final class Challenges implements KeyboardInteractiveAuthenticator {
        @Override
        public InteractiveChallenge generateChallenge(ServerSession session, String user, String lang,
                String subMethods) {
            InteractiveChallenge challenge = new InteractiveChallenge();
            challenge.setInteractionName("fanout test");
            challenge.setInteractionInstruction("");
            challenge.addPrompt("Password: ", false);
            if (OTP_USER.equals(user)) {
                challenge.addPrompt("Verification code: ", true);
            }
            return challenge;
        }

        @Override
        public boolean authenticate(ServerSession session, String user, List<String> responses) {
            boolean passwordOk = !responses.isEmpty() && responses.get(0).equals(password.reveal());
            return switch (user) {
                case PASSWORD_USER, KBD_USER -> responses.size() == 1 && passwordOk;
                case OTP_USER -> responses.size() == 2 && passwordOk && OTP.equals(responses.get(1));
                default -> false;
            };
        }
    }
}
