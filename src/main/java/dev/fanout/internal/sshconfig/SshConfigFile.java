package dev.fanout.internal.sshconfig;

import dev.fanout.internal.sshconfig.ConfigEntry.HostLine;
import dev.fanout.internal.sshconfig.ConfigEntry.Include;
import dev.fanout.internal.sshconfig.ConfigEntry.MatchLine;
import dev.fanout.internal.sshconfig.ConfigEntry.Option;
import dev.fanout.internal.sshconfig.HostConfig.Setting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed OpenSSH client config and its {@code Include}s, resolved per host as {@code ssh} resolves it. Immutable
 * and thread-safe; {@link #resolve} reads only.
 *
 * <p>Design: the file is parsed once into entries in file order ({@link SshConfigParser}); resolving a host walks
 * them once, as {@code ssh} reads its config: lines before the first {@code Host} apply to every host; a
 * {@code Host} line turns on the lines after it for hosts matching one of its patterns and no negated one; a
 * {@code Match} line (not supported) turns them off; an {@code Include} is read in place, its own {@code Host} lines
 * never matching when it sits in a block that does not apply, and the including block's state coming back after it.
 * The first value of each keyword wins; {@code IdentityFile}s add up.
 *
 * @param file the file read first
 * @param entries its entries
 * @param user the local user ({@code ~}, tokens)
 * @param warnings what the parse warned about: keywords ignored, {@code Match} blocks skipped, values dropped
 */
public record SshConfigFile(Path file, List<ConfigEntry> entries, LocalUser user, List<String> warnings) {

    /** Copies the lists. */
    public SshConfigFile {
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
    }

    /** What the config says about the host given as {@code host} (an alias, a name or an address). */
    public HostConfig resolve(String host) {
        Resolution found = new Resolution();
        walk(entries, host, new boolean[] {true}, false, found);
        return found.build(host);
    }

    /**
     * What the config makes of a host once its login user and port are settled (ssh's command line first, then the
     * config's {@code User} and {@code Port}, then the defaults; the caller decides): tokens and {@code ~}
     * expanded.
     *
     * @throws IllegalArgumentException when an environment variable a value names is unset (naming file and line)
     */
    public HostSettings settle(HostConfig config, String loginUser, int port) {
        String host = config.host();
        String hostName = config.hostName().map(name -> Tokens.expandTokens(name.value(), Map.of('h', host)))
                .orElse(host);
        if (hostName.indexOf(':') < 0) { // as ssh, which leaves addresses as they are (IPv4 has no case)
            hostName = hostName.toLowerCase(Locale.ROOT);
        }
        Map<Character, String> tokens = Map.of('d', user.home().toString(), 'h', hostName, 'k',
                config.hostKeyAlias().map(Setting::value).orElse(host), 'n', host, 'p', Integer.toString(port), 'r',
                loginUser, 'u', user.name());
        List<Setting<Path>> identityFiles = config.identityFiles().stream()
                .map(file -> new Setting<>(path(file.value(), tokens, file.source()), file.source())).toList();
        Optional<Setting<Optional<Path>>> agent = config.identityAgent()
                .map(socket -> new Setting<>(agentSocket(socket, tokens), socket.source()));
        Optional<Setting<List<Path>>> knownHosts = config.userKnownHostsFiles().map(files -> new Setting<>(
                files.value().stream().map(file -> path(file, tokens, files.source())).toList(), files.source()));
        return new HostSettings(host, hostName, loginUser, port, identityFiles,
                config.identitiesOnly().map(Setting::value).orElse(false), agent, config.proxyJump(), knownHosts,
                config.strictHostKeyChecking(), config.connectTimeout(), config.hostKeyAlias());
    }

    private Path path(String value, Map<Character, String> tokens, ConfigSource source) {
        try {
            return Path.of(Tokens.expandPath(value, tokens, user));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    private Optional<Path> agentSocket(Setting<String> socket, Map<Character, String> tokens) {
        String value = socket.value();
        if (value.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        if (value.equals("SSH_AUTH_SOCK")) {
            return Optional.ofNullable(user.environment().apply("SSH_AUTH_SOCK")).filter(text -> !text.isEmpty())
                    .map(Path::of);
        }
        if (value.startsWith("$") && !value.startsWith("${")) {
            String variable = user.environment().apply(value.substring(1));
            if (variable == null || variable.isEmpty()) {
                throw new IllegalArgumentException(socket.source() + ": IdentityAgent " + value + ": "
                        + value.substring(1) + " is not set");
            }
            return Optional.of(Path.of(variable));
        }
        return Optional.of(path(value, tokens, socket.source()));
    }

    private static void walk(List<ConfigEntry> entries, String host, boolean[] active, boolean neverMatch,
            Resolution found) {
        for (ConfigEntry entry : entries) {
            switch (entry) {
                case HostLine line -> active[0] = !neverMatch && HostPatterns.matches(line.patterns(), host);
                case MatchLine line -> active[0] = false;
                case Option option -> {
                    if (active[0]) {
                        found.offer(option);
                    }
                }
                case Include include -> {
                    boolean outer = active[0];
                    for (List<ConfigEntry> included : include.files()) {
                        walk(included, host, active, neverMatch || !outer, found);
                        active[0] = outer;
                    }
                }
            }
        }
    }

    /** The values found so far: first value wins, identity files add up. */
    private static final class Resolution {
        private final Map<Keyword, Option> first = new EnumMap<>(Keyword.class);
        private final List<Setting<String>> identityFiles = new ArrayList<>();

        void offer(Option option) {
            switch (option.keyword()) {
                case IDENTITY_FILE -> {
                    String file = (String) option.value();
                    if (identityFiles.stream().noneMatch(known -> known.value().equals(file))) {
                        identityFiles.add(new Setting<>(file, option.source()));
                    }
                }
                // ProxyJump none counts only against ProxyJump; a hop list also loses to an earlier ProxyCommand.
                case PROXY_JUMP -> {
                    boolean none = ((List<?>) option.value()).isEmpty();
                    if (!first.containsKey(Keyword.PROXY_JUMP) && (none || !first.containsKey(Keyword.PROXY_COMMAND))) {
                        first.put(Keyword.PROXY_JUMP, option);
                    }
                }
                case PROXY_COMMAND -> {
                    if (!first.containsKey(Keyword.PROXY_JUMP)) {
                        first.putIfAbsent(Keyword.PROXY_COMMAND, option);
                    }
                }
                default -> first.putIfAbsent(option.keyword(), option);
            }
        }

        HostConfig build(String host) {
            return new HostConfig(host, get(Keyword.HOST_NAME, String.class), get(Keyword.USER, String.class),
                    get(Keyword.PORT, Integer.class), identityFiles, get(Keyword.IDENTITIES_ONLY, Boolean.class),
                    get(Keyword.IDENTITY_AGENT, String.class), list(Keyword.PROXY_JUMP, JumpHost.class),
                    list(Keyword.USER_KNOWN_HOSTS_FILE, String.class),
                    get(Keyword.STRICT_HOST_KEY_CHECKING, StrictHostKeyChecking.class), timeout(),
                    get(Keyword.HOST_KEY_ALIAS, String.class));
        }

        private <T> Optional<Setting<T>> get(Keyword keyword, Class<T> type) {
            return Optional.ofNullable(first.get(keyword))
                    .map(option -> new Setting<>(type.cast(option.value()), option.source()));
        }

        private <T> Optional<Setting<List<T>>> list(Keyword keyword, Class<T> type) {
            return Optional.ofNullable(first.get(keyword)).map(option -> new Setting<>(
                    ((List<?>) option.value()).stream().map(type::cast).toList(), option.source()));
        }

        private Optional<Setting<Optional<Duration>>> timeout() {
            return Optional.ofNullable(first.get(Keyword.CONNECT_TIMEOUT)).map(option -> new Setting<>(
                    ((Optional<?>) option.value()).map(Duration.class::cast), option.source()));
        }
    }
}
