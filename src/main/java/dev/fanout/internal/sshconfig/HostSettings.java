package dev.fanout.internal.sshconfig;

import dev.fanout.internal.sshconfig.HostConfig.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a config makes of one host once the login user and port are settled, tokens expanded: the values fanout
 * uses. Immutable.
 *
 * @param host the host as given
 * @param hostName where to connect: {@code HostName} (its {@code %h} the host as given), else the host, lower-cased
 *     unless an IP address, as ssh does
 * @param user the login user
 * @param port the port
 * @param identityFiles every {@code IdentityFile}, expanded
 * @param identitiesOnly {@code IdentitiesOnly yes}
 * @param identityAgent {@code IdentityAgent}, expanded: the socket, or empty for {@code none} (and for
 *     {@code SSH_AUTH_SOCK} when that is unset)
 * @param proxyJump {@code ProxyJump}: the hops, none for {@code none}
 * @param userKnownHostsFiles {@code UserKnownHostsFile}, expanded; none for {@code none}
 * @param strictHostKeyChecking {@code StrictHostKeyChecking}
 * @param connectTimeout {@code ConnectTimeout}: empty for {@code none}
 * @param hostKeyAlias {@code HostKeyAlias}
 */
public record HostSettings(String host, String hostName, String user, int port, List<Setting<Path>> identityFiles,
        boolean identitiesOnly, Optional<Setting<Optional<Path>>> identityAgent,
        Optional<Setting<List<JumpHost>>> proxyJump, Optional<Setting<List<Path>>> userKnownHostsFiles,
        Optional<Setting<StrictHostKeyChecking>> strictHostKeyChecking,
        Optional<Setting<Optional<Duration>>> connectTimeout, Optional<Setting<String>> hostKeyAlias) {

    /** Copies the list. */
    public HostSettings {
        identityFiles = List.copyOf(identityFiles);
    }

    /** The name the host's key is checked under, as ssh checks it: the alias, else {@code [hostName]:port}. */
    public String hostKeyName() {
        return hostKeyAlias.map(Setting::value).orElse(port == 22 ? hostName : "[" + hostName + "]:" + port);
    }
}
