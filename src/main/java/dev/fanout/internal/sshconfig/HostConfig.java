package dev.fanout.internal.sshconfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What an OpenSSH client config says about one host, as {@code ssh} reads it (first value of each keyword, every
 * {@code IdentityFile}), before tokens are expanded; each value with the line it comes from. Immutable.
 *
 * @param host the host as given, which {@code Host} patterns were matched against
 * @param hostName {@code HostName}
 * @param user {@code User}
 * @param port {@code Port}
 * @param identityFiles every {@code IdentityFile}, in order, without repeats
 * @param identitiesOnly {@code IdentitiesOnly}
 * @param identityAgent {@code IdentityAgent}: {@code none}, {@code SSH_AUTH_SOCK}, {@code $VAR} or a path
 * @param proxyJump {@code ProxyJump}: the hops in order, none for {@code ProxyJump none}
 * @param userKnownHostsFiles {@code UserKnownHostsFile}: the files, none for {@code none}
 * @param strictHostKeyChecking {@code StrictHostKeyChecking}
 * @param connectTimeout {@code ConnectTimeout}: empty for {@code none}
 * @param hostKeyAlias {@code HostKeyAlias}
 */
public record HostConfig(String host, Optional<Setting<String>> hostName, Optional<Setting<String>> user,
        Optional<Setting<Integer>> port, List<Setting<String>> identityFiles,
        Optional<Setting<Boolean>> identitiesOnly, Optional<Setting<String>> identityAgent,
        Optional<Setting<List<JumpHost>>> proxyJump, Optional<Setting<List<String>>> userKnownHostsFiles,
        Optional<Setting<StrictHostKeyChecking>> strictHostKeyChecking,
        Optional<Setting<Optional<Duration>>> connectTimeout, Optional<Setting<String>> hostKeyAlias) {

    /**
     * One value and the line that gave it.
     *
     * @param <T> the value's type
     * @param value the value
     * @param source where it was set
     */
    public record Setting<T>(T value, ConfigSource source) {
    }

    /** Copies the list. */
    public HostConfig {
        identityFiles = List.copyOf(identityFiles);
    }

    /** Whether no keyword applies to the host. */
    public boolean isEmpty() {
        return hostName.isEmpty() && user.isEmpty() && port.isEmpty() && identityFiles.isEmpty()
                && identitiesOnly.isEmpty() && identityAgent.isEmpty() && proxyJump.isEmpty()
                && userKnownHostsFiles.isEmpty() && strictHostKeyChecking.isEmpty() && connectTimeout.isEmpty()
                && hostKeyAlias.isEmpty();
    }
}
