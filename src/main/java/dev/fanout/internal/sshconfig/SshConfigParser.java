package dev.fanout.internal.sshconfig;

import dev.fanout.internal.sshconfig.ConfigEntry.HostLine;
import dev.fanout.internal.sshconfig.ConfigEntry.Include;
import dev.fanout.internal.sshconfig.ConfigEntry.MatchLine;
import dev.fanout.internal.sshconfig.ConfigEntry.Option;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses an OpenSSH client config and the files it includes, checking every value of the keywords fanout takes, in
 * every block, as {@code ssh} does: a bad value is an error naming its file and line, whichever host it is for.
 * Keywords fanout does not take are ignored with one warning per keyword; {@code Match} blocks are skipped with a
 * warning each. {@code Include} reads files and globs in lexical order, relative ones from {@code ~/.ssh}; the
 * user's own config and every included file must be the user's (or root's) and writable by no one else, as
 * {@code ssh} demands. Not thread-safe: one parser per parse.
 */
public final class SshConfigParser {

    private static final Logger LOG = LoggerFactory.getLogger(SshConfigParser.class);
    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final Pattern TIME_PART = Pattern.compile("(\\d+)([sSmMhHdDwW]?)");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final LocalUser user;
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> warnedKeywords = new HashSet<>();

    private SshConfigParser(LocalUser user) {
        this.user = user;
    }

    /**
     * The user's own config, {@code ~/.ssh/config}: empty when the file does not exist.
     *
     * @throws IllegalArgumentException for a bad line or value (naming file and line), an unreadable file, or one
     *     others may write
     */
    public static SshConfigFile userConfig(LocalUser user) {
        Path file = user.sshDirectory().resolve("config");
        SshConfigParser parser = new SshConfigParser(user);
        List<ConfigEntry> entries = Files.exists(file) ? parser.parse(file, true, 0) : List.of();
        return new SshConfigFile(file, entries, user, parser.warnings);
    }

    /**
     * A config named explicitly, as {@code ssh -F FILE} reads it.
     *
     * @throws IllegalArgumentException when the file is missing or unreadable, or for a bad line or value
     */
    public static SshConfigFile file(Path file, LocalUser user) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ssh config " + file + " is not a readable file");
        }
        SshConfigParser parser = new SshConfigParser(user);
        List<ConfigEntry> entries = parser.parse(file, false, 0);
        return new SshConfigFile(file, entries, user, parser.warnings);
    }

    private List<ConfigEntry> parse(Path file, boolean checkPermissions, int depth) {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw new IllegalArgumentException(file + ": more than " + MAX_INCLUDE_DEPTH
                    + " nested Includes (does a file include itself?)");
        }
        List<String> lines;
        try {
            if (checkPermissions) {
                requireSafe(file);
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read ssh config " + file + ": " + e.getMessage(), e);
        }
        List<ConfigEntry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            ConfigSource source = new ConfigSource(file, i + 1);
            try {
                ConfigLine line = ConfigLine.parse(lines.get(i));
                if (line != null) {
                    entry(line, source, depth).ifPresent(entries::add);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
            }
        }
        return entries;
    }

    private Optional<ConfigEntry> entry(ConfigLine line, ConfigSource source, int depth) {
        switch (line.keyword()) {
            case "host" -> {
                return Optional.of(new HostLine(line.args(), source));
            }
            case "match" -> {
                warn(source + ": Match is not supported by fanout; its block is skipped");
                return Optional.of(new MatchLine(source));
            }
            case "include" -> {
                return Optional.of(include(line.args(), source, depth));
            }
            default -> {
                Keyword keyword = Keyword.of(line.keyword());
                if (keyword == null) {
                    if (warnedKeywords.add(line.keyword())) {
                        warn(source + ": " + line.keyword() + " is ignored by fanout (said once per keyword)");
                    }
                    return Optional.empty();
                }
                try {
                    return Optional.of(new Option(keyword, value(keyword, line.args()), source));
                } catch (UnsupportedTokenException e) {
                    warn(source + ": " + keyword.spelling() + " ignored: " + e.getMessage());
                    return Optional.empty();
                }
            }
        }
    }

    /** A value that names a token fanout cannot expand: the value is dropped with a warning, not an error. */
    private static final class UnsupportedTokenException extends Exception {
        private static final long serialVersionUID = 1L;

        UnsupportedTokenException(String message) {
            super(message);
        }
    }

    private static Object value(Keyword keyword, List<String> args) throws UnsupportedTokenException {
        if (keyword == Keyword.PROXY_COMMAND) {
            return String.join(" ", args);
        }
        if (keyword == Keyword.USER_KNOWN_HOSTS_FILE) {
            if (args.size() == 1 && args.get(0).equalsIgnoreCase("none")) {
                return List.of();
            }
            for (String arg : args) {
                if (arg.equalsIgnoreCase("none")) {
                    throw new IllegalArgumentException("UserKnownHostsFile none must appear alone");
                }
                checkTokens(arg, Tokens.FILE_TOKENS);
            }
            return args;
        }
        if (args.size() != 1) {
            throw new IllegalArgumentException(keyword.spelling() + " takes one argument, not " + args.size());
        }
        String arg = args.get(0);
        return switch (keyword) {
            case HOST_NAME -> {
                checkTokens(arg, Tokens.HOST_NAME_TOKENS);
                yield arg;
            }
            case USER -> arg;
            case PORT -> port(arg);
            case IDENTITY_FILE -> {
                checkTokens(arg, Tokens.FILE_TOKENS);
                yield arg;
            }
            case IDENTITIES_ONLY -> flag(arg, keyword);
            case IDENTITY_AGENT -> identityAgent(arg);
            case PROXY_JUMP -> arg.equalsIgnoreCase("none") ? List.of() : JumpHost.parseList(arg);
            case STRICT_HOST_KEY_CHECKING -> strictHostKeyChecking(arg);
            case CONNECT_TIMEOUT -> arg.equals("none") ? Optional.empty() : Optional.of(time(arg));
            case HOST_KEY_ALIAS -> hostKeyAlias(arg);
            case PROXY_COMMAND, USER_KNOWN_HOSTS_FILE -> throw new IllegalStateException("handled above");
        };
    }

    private static void checkTokens(String value, Set<Character> allowed) throws UnsupportedTokenException {
        try {
            Tokens.check(value, allowed);
        } catch (IllegalArgumentException e) {
            throw new UnsupportedTokenException(e.getMessage());
        }
    }

    private static int port(String arg) {
        try {
            int port = Integer.parseInt(arg);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad port '" + arg + "'");
    }

    private static boolean flag(String arg, Keyword keyword) {
        return switch (arg.toLowerCase(Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw new IllegalArgumentException(keyword.spelling() + " must be yes or no: '" + arg + "'");
        };
    }

    private static String identityAgent(String arg) throws UnsupportedTokenException {
        if (arg.startsWith("$") && !arg.startsWith("${")) {
            if (!ENV_NAME.matcher(arg.substring(1)).matches()) {
                throw new IllegalArgumentException("invalid environment name " + arg);
            }
            return arg;
        }
        if (!arg.equalsIgnoreCase("none") && !arg.equals("SSH_AUTH_SOCK")) {
            checkTokens(arg, Tokens.FILE_TOKENS);
        }
        return arg;
    }

    private static StrictHostKeyChecking strictHostKeyChecking(String arg) {
        return switch (arg.toLowerCase(Locale.ROOT)) {
            case "yes", "true" -> StrictHostKeyChecking.YES;
            case "accept-new" -> StrictHostKeyChecking.ACCEPT_NEW;
            case "no", "off", "false" -> StrictHostKeyChecking.NO;
            case "ask" -> StrictHostKeyChecking.ASK;
            default -> throw new IllegalArgumentException("StrictHostKeyChecking must be yes, accept-new, no, off or"
                    + " ask: '" + arg + "'");
        };
    }

    /** A time as ssh_config(5) writes it: seconds, or {@code 1h30m}-style parts (s, m, h, d, w). */
    static Duration time(String arg) {
        Matcher part = TIME_PART.matcher(arg);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < arg.length() && part.find(at) && part.start() == at) {
            long amount = Long.parseLong(part.group(1));
            total = total.plus(switch (part.group(2).toLowerCase(Locale.ROOT)) {
                case "", "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                case "d" -> Duration.ofDays(amount);
                default -> Duration.ofDays(7 * amount);
            });
            at = part.end();
        }
        if (arg.isEmpty() || at != arg.length()) {
            throw new IllegalArgumentException("invalid time value '" + arg + "'");
        }
        return total;
    }

    private static String hostKeyAlias(String arg) {
        if (arg.chars().anyMatch(c -> c == ',' || Character.isWhitespace(c) || Character.isISOControl(c))
                || arg.startsWith("|") || arg.startsWith("@") || arg.startsWith("!")) {
            throw new IllegalArgumentException("HostKeyAlias '" + arg + "' cannot name a host in known_hosts");
        }
        return arg;
    }

    private Include include(List<String> args, ConfigSource source, int depth) {
        List<List<ConfigEntry>> files = new ArrayList<>();
        for (String arg : args) {
            if (arg.indexOf('%') >= 0) {
                warn(source + ": Include " + arg + " skipped: fanout expands no % tokens in Include");
                continue;
            }
            Path path = Path.of(Tokens.expandPath(arg, Map.of(), user));
            for (Path file : glob(path.isAbsolute() ? path : user.sshDirectory().resolve(path))) {
                files.add(parse(file, true, depth + 1));
            }
        }
        return new Include(files, source);
    }

    /** The regular files a glob(7) pattern names, in lexical order; a name starting with '.' only if asked for. */
    static List<Path> glob(Path pattern) {
        List<Path> matches = List.of(pattern.getRoot());
        for (Path segment : pattern) {
            String name = segment.toString();
            List<Path> next = new ArrayList<>();
            for (Path directory : matches) {
                if (name.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
                    Path child = directory.resolve(name);
                    if (Files.exists(child)) {
                        next.add(child);
                    }
                } else if (Files.isDirectory(directory)) {
                    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + name);
                    try (DirectoryStream<Path> children = Files.newDirectoryStream(directory)) {
                        for (Path child : children) {
                            Path childName = child.getFileName();
                            if ((!childName.toString().startsWith(".") || name.startsWith("."))
                                    && matcher.matches(childName)) {
                                next.add(child);
                            }
                        }
                    } catch (IOException e) {
                        throw new IllegalArgumentException("cannot list " + directory + ": " + e.getMessage(), e);
                    }
                }
            }
            matches = next;
        }
        return matches.stream().filter(Files::isRegularFile).sorted().toList();
    }

    /** The file must be the user's or root's and writable by no one else, as ssh demands of its user config. */
    private void requireSafe(Path file) throws IOException {
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, PosixFileAttributes.class);
        } catch (UnsupportedOperationException e) {
            return; // no POSIX owner and mode to check on this file system
        }
        String owner = attributes.owner().getName();
        Set<PosixFilePermission> mode = attributes.permissions();
        if ((!owner.equals("root") && !owner.equals(user.name())) || mode.contains(PosixFilePermission.GROUP_WRITE)
                || mode.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IOException("bad owner or permissions (owned by " + owner + ", "
                    + PosixFilePermissions.toString(mode)
                    + "): it must be yours or root's and writable by no one else (chmod go-w)");
        }
    }

    private void warn(String warning) {
        warnings.add(warning);
        LOG.warn("ssh config: {}", warning);
    }
}
