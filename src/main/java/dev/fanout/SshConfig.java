package dev.fanout;

import dev.fanout.internal.sshconfig.HostConfig;
import dev.fanout.internal.sshconfig.LocalUser;
import dev.fanout.internal.sshconfig.SshConfigFile;
import dev.fanout.internal.sshconfig.SshConfigParser;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * An OpenSSH client configuration ({@code ~/.ssh/config}, or the file {@code ssh -F} would read), read once when
 * made, for {@link Fanout.Builder#sshConfig(SshConfig)}: hosts are then resolved as {@code ssh} resolves them.
 *
 * <p>Read as ssh reads it: {@code Host} patterns with {@code *}, {@code ?} and {@code !}; the first value of each
 * keyword wins; {@code Include} (relative to {@code ~/.ssh}, globs). fanout takes {@code HostName}, {@code User},
 * {@code Port}, {@code IdentityFile}, {@code IdentitiesOnly}, {@code IdentityAgent}, {@code UserKnownHostsFile},
 * {@code StrictHostKeyChecking}, {@code ConnectTimeout}, {@code HostKeyAlias} and reads {@code ProxyJump}; other
 * keywords are ignored with one warning each (logged), {@code Match} blocks are skipped with a warning. A bad value
 * of a keyword fanout takes is an error naming its file and line, as in ssh.
 *
 * <p>Immutable and thread-safe.
 */
public final class SshConfig {

    private final SshConfigFile config;

    private SshConfig(SshConfigFile config) {
        this.config = config;
    }

    /**
     * The user's own config, {@code ~/.ssh/config}; none at all (every host as given) when the file does not exist.
     * As ssh demands, it and every file it includes must be the user's (or root's) and writable by no one else.
     *
     * @throws IllegalArgumentException for a bad line or value (naming file and line), an unreadable file, or one
     *     others may write
     */
    public static SshConfig userDefault() {
        return new SshConfig(SshConfigParser.userConfig(LocalUser.current()));
    }

    /**
     * A config file named explicitly, as {@code ssh -F FILE} reads it.
     *
     * @throws IllegalArgumentException when the file does not exist or cannot be read, or for a bad line or value
     */
    public static SshConfig file(Path file) {
        return new SshConfig(SshConfigParser.file(Objects.requireNonNull(file, "file"), LocalUser.current()));
    }

    /** The file read first (it need not exist for {@link #userDefault()}). */
    public Path path() {
        return config.file();
    }

    /** What reading the config warned about: keywords fanout ignores, {@code Match} blocks skipped. */
    public List<String> warnings() {
        return config.warnings();
    }

    /**
     * A host as {@code ssh} reads its command line: {@code [user@]name[:port]}, where {@code name} is looked up in
     * the config; the user and port the text gives win, else the config's {@code User} and {@code Port}, else
     * {@code defaultUser} and 22. The host's address stays the name given: {@link Fanout} looks it up again to
     * connect to its {@code HostName}.
     *
     * @param spec {@code [user@]name[:port]}, an IPv6 address in brackets
     * @param defaultUser the user when neither the text nor the config gives one (null: none)
     * @throws IllegalArgumentException if the text is malformed, no user is found, or the config's user is not a
     *     valid one, naming it
     */
    public Host host(String spec, String defaultUser) {
        return Host.parse(spec, address -> {
            HostConfig found = config.resolve(address);
            return found.user().map(HostConfig.Setting::value).orElse(defaultUser);
        }, address -> config.resolve(address).port().map(HostConfig.Setting::value).orElse(Host.DEFAULT_PORT));
    }

    /**
     * Whether the config says nothing fanout reads (no such file, or only keywords fanout ignores): hosts are then
     * reached as given, as without a config.
     */
    public boolean isEmpty() {
        return config.entries().isEmpty();
    }

    /** The parsed config, for {@link Fanout}. */
    SshConfigFile parsed() {
        return config;
    }

    @Override
    public String toString() {
        return "SshConfig[" + config.file() + "]";
    }
}
