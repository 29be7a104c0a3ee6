package dev.fanout.internal.sshconfig;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The keywords fanout takes from an OpenSSH client config (besides {@code Host}, {@code Match}, {@code Include}). */
enum Keyword {
    HOST_NAME("HostName"),
    USER("User"),
    PORT("Port"),
    IDENTITY_FILE("IdentityFile"),
    IDENTITIES_ONLY("IdentitiesOnly"),
    IDENTITY_AGENT("IdentityAgent"),
    PROXY_JUMP("ProxyJump"),
    /** Not used by fanout, but read: whichever of it and ProxyJump comes first wins, as in ssh. */
    PROXY_COMMAND("ProxyCommand"),
    USER_KNOWN_HOSTS_FILE("UserKnownHostsFile"),
    STRICT_HOST_KEY_CHECKING("StrictHostKeyChecking"),
    CONNECT_TIMEOUT("ConnectTimeout"),
    HOST_KEY_ALIAS("HostKeyAlias");

    private static final Map<String, Keyword> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(keyword -> keyword.name.toLowerCase(Locale.ROOT),
                    Function.identity()));

    private final String name;

    Keyword(String name) {
        this.name = name;
    }

    /** The keyword as ssh_config(5) spells it. */
    String spelling() {
        return name;
    }

    /** The keyword for a lower-cased name, or null when fanout does not take it. */
    static Keyword of(String lowerCased) {
        return BY_NAME.get(lowerCased);
    }
}
