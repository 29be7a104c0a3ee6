package dev.fanout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * One way of logging in. {@link Credentials} holds several, tried in the order given.
 *
 * <p>Every variant is immutable and its {@code toString()} never shows a secret.
 */
public sealed interface AuthMethod
        permits AuthMethod.Password, AuthMethod.KeyboardInteractive, AuthMethod.PublicKey, AuthMethod.Agent {

    /** The SSH method name: {@code password}, {@code keyboard-interactive} or {@code publickey} (keys and agents). */
    String sshName();

    /** Password authentication ({@code password} method). */
    static Password password(Secret password) {
        return new Password(password);
    }

    /** Keyboard-interactive authentication answered by the given responder. */
    static KeyboardInteractive keyboardInteractive(KeyboardInteractiveResponder responder) {
        return new KeyboardInteractive(responder);
    }

    /**
     * Public-key authentication with a private key file as {@code ssh-keygen} writes it: OpenSSH format (Ed25519,
     * ECDSA, RSA), PEM ({@code -m PEM}: RSA, ECDSA) or PKCS#8 ({@code -m PKCS8}: RSA, ECDSA), encrypted or not. The
     * key is decoded, and its passphrase checked, when the {@link Fanout} is built.
     *
     * @param keyFile the private key file, read now
     * @param passphrase the key's passphrase, or {@code null} for an unencrypted key
     * @throws UncheckedIOException if the file cannot be read, naming it
     */
    static PublicKey privateKey(Path keyFile, Secret passphrase) {
        try {
            String text = Files.readString(keyFile, StandardCharsets.UTF_8);
            return new PublicKey(keyFile.toString(), Secret.of(text), Optional.ofNullable(passphrase));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read private key file " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /**
     * Public-key authentication with a private key given as text.
     *
     * @param name a label for messages (never the key itself)
     * @param keyText the key in OpenSSH, PEM or PKCS#8 format
     * @param passphrase the key's passphrase, or {@code null} for an unencrypted key
     */
    static PublicKey privateKeyText(String name, Secret keyText, Secret passphrase) {
        return new PublicKey(name, keyText, Optional.ofNullable(passphrase));
    }

    /**
     * Public-key authentication with the keys an ssh-agent holds, at {@code $SSH_AUTH_SOCK} as for {@code ssh}: each
     * key the agent lists is offered in turn, at this method's place in the {@link Credentials}, and the agent signs;
     * no key ever leaves it. {@link Fanout.Builder#build()} reads {@code SSH_AUTH_SOCK} and checks that an agent
     * listens there.
     */
    static Agent agent() {
        return new Agent(Optional.empty());
    }

    /**
     * Public-key authentication with the keys of the ssh-agent listening on this Unix-domain socket (one started
     * with {@code ssh-agent -a SOCKET}, say).
     *
     * @param socket the agent's socket
     */
    static Agent agent(Path socket) {
        return new Agent(Optional.of(socket));
    }

    /**
     * Password authentication.
     *
     * @param password the password sent to the server
     */
    record Password(Secret password) implements AuthMethod {
        /** Rejects a null password. */
        public Password {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String sshName() {
            return "password";
        }
    }

    /**
     * Keyboard-interactive authentication: the server asks, the responder answers.
     *
     * @param responder answers the server's prompts
     */
    record KeyboardInteractive(KeyboardInteractiveResponder responder) implements AuthMethod {
        /** Rejects a null responder. */
        public KeyboardInteractive {
            Objects.requireNonNull(responder, "responder");
        }

        @Override
        public String sshName() {
            return "keyboard-interactive";
        }
    }

    /**
     * A private key. Drivers decode it once per {@link Fanout} and reuse it for every host.
     *
     * @param name where the key came from (a file path or a caller's label), for messages
     * @param keyText the key text
     * @param passphrase the passphrase of an encrypted key
     */
    record PublicKey(String name, Secret keyText, Optional<Secret> passphrase) implements AuthMethod {
        /** Rejects null components. */
        public PublicKey {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(keyText, "keyText");
            Objects.requireNonNull(passphrase, "passphrase");
        }

        @Override
        public String sshName() {
            return "publickey";
        }

        @Override
        public String toString() {
            return "PublicKey[" + name + (passphrase.isPresent() ? ", encrypted" : "") + "]";
        }
    }

    /**
     * The keys of an ssh-agent, reached over the JDK's Unix-domain sockets (no native library). The agent is asked
     * for its keys at each login that gets this far, so keys added or removed with {@code ssh-add} count from the
     * next login on. An agent that holds no keys, or is locked ({@code ssh-add -x}), offers none: a host that
     * accepts nothing else fails with {@code AuthenticationFailedException}, whose message says so. Each request to
     * the agent is bounded by the auth timeout.
     *
     * @param socket the agent's socket; empty for the one {@code SSH_AUTH_SOCK} names when the {@link Fanout} is
     *     built
     */
    record Agent(Optional<Path> socket) implements AuthMethod {
        /** Rejects a null socket. */
        public Agent {
            Objects.requireNonNull(socket, "socket");
        }

        @Override
        public String sshName() {
            return "publickey";
        }

        @Override
        public String toString() {
            return "Agent[" + socket.map(Path::toString).orElse("$SSH_AUTH_SOCK") + "]";
        }
    }
}
