package dev.fanout.testing;

import dev.fanout.Host;
import dev.fanout.Secret;
import java.nio.file.Path;
import java.util.List;

/**
 * An SSH server the contract tests run against: the in-process MINA server or a real OpenSSH sshd. Both offer the
 * same users: {@link #PASSWORD_USER} (password, and keyboard-interactive "Password:"), {@link #KBD_USER}
 * (keyboard-interactive only, as PAM set-ups), {@link #KEY_USER} (public key only).
 */
public interface TestServer extends AutoCloseable {

    String PASSWORD_USER = "fanout-pw";
    String KBD_USER = "fanout-kbd";
    String KEY_USER = "fanout-key";

    /** A short name for test reports: {@code mina-server} or {@code openssh}. */
    String name();

    /** The server's endpoint for a user. */
    Host host(String user);

    /** A known_hosts file holding the server's host key. */
    Path knownHosts();

    /** The server's host key line body ({@code type base64}), for writing other known_hosts files. */
    String hostKeyLine();

    /** The password of {@link #PASSWORD_USER} and {@link #KBD_USER}. */
    Secret password();

    /**
     * Lets {@link #KEY_USER} log in with one more key from now on.
     *
     * @param publicKeyFile a public key file ({@code ssh-keygen}'s {@code .pub})
     */
    void authorize(Path publicKeyFile);

    /** Drops every open connection at once, as a crashed or restarted server would. */
    void killSessions();

    /**
     * What the server still holds open for its clients, one line each, for a failure message: empty once every
     * client connection has ended and the server has seen it end.
     */
    List<String> openSessions();

    @Override
    void close();
}
