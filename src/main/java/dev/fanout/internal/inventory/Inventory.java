package dev.fanout.internal.inventory;

import dev.fanout.Host;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.CollectionEndEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads hosts from inventories and host lists into {@link Host}s.
 *
 * <p>Plain lists (any file not ending in .yaml/.yml): one {@code [user@]host[:port]} a line, host patterns allowed,
 * {@code #} comments and blank lines ignored: exactly what {@code fanout fleet} and {@code --failed-hosts} write. An
 * IPv6 address is written in brackets, {@code root@[2001:db8::7]:2200} (never a range pattern), or bare without a
 * port (more than one colon means no port). YAML:
 *
 * <pre>
 * defaults:            # optional: user, port and vars for every host below
 *   user: deploy
 *   port: 22
 *   vars: {env: prod}  # variables the commands use as {{env}}; a group's override these, a host's override both
 * hosts:               # optional: entries of the same form as plain-list lines, or mappings
 *   - web[01-10].dc1
 *   - host: db1
 *     port: 2222
 *     user: postgres
 *     vars: {agent_id: 7f3a}
 * groups:              # optional: named lists of hosts, each with its own user/port/vars overriding the defaults
 *   edge:                # a name for --limit: a letter or '_', then letters, digits, '_', '-', '.'
 *     user: root
 *     credentials: ops   # a named set defined below (defaults, groups and entries may name one)
 *     vars: {region: eu-west}
 *     hosts: ["edge[1-4].example.net", "[2001:db8::7]:2200"]   # YAML needs quotes around a leading '['
 * credentials:         # optional: named credential sources; no secret is ever written in the inventory
 *   ops:
 *     password-env: OPS_PASSWORD
 *   deploy:
 *     identity: ~/.ssh/deploy_ed25519
 *     passphrase-env: DEPLOY_PASSPHRASE
 * </pre>
 *
 * A group's hosts are hosts of the inventory like any other (a host in several groups, or also under hosts, is one
 * host, where it first appears), also reachable by the group's name
 * ({@link Contents#groups()}); {@value #ALL} and {@value #UNGROUPED} are reserved names for every host and the hosts
 * of no group. Every error names the file and line (or key). Immutable and thread-safe.
 */
public final class Inventory {

    /** The deepest YAML accepted; an inventory needs 5 levels (top, groups, a group, its hosts, an entry). */
    private static final int MAX_YAML_DEPTH = 64;
    private static final Set<String> TOP_KEYS = Set.of("defaults", "hosts", "groups", "credentials");
    private static final Set<String> DEFAULTS_KEYS = Set.of("user", "port", "credentials", "vars");
    private static final Set<String> ENTRY_KEYS = Set.of("host", "user", "port", "credentials", "vars");
    private static final Set<String> GROUP_KEYS = Set.of("hosts", "user", "port", "credentials", "vars");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> CREDENTIAL_KEYS = Set.of("password-env", "password-file", "identity",
            "passphrase-env");
    private static final String QUOTE_BRACKETS = "(in YAML a '[' starts a list: quote a host that starts with "
            + "'[', and a pattern inside [...]: - \"[2001:db8::7]:2200\", hosts: [\"web[01-10]\"])";
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    /** The name of the group of every host. */
    public static final String ALL = "all";

    /** The name of the group of the hosts that are in no group of an inventory. */
    public static final String UNGROUPED = "ungrouped";

    /**
     * What an inventory file holds.
     *
     * @param hosts the hosts, in file order
     * @param credentialNames the named credentials of the hosts that have their own
     * @param credentials the named credential sets the file defines
     * @param groups the hosts of each group, groups and hosts in file order
     * @param vars the variables of the hosts that have some: the defaults', their group's and their own merged
     */
    public record Contents(List<Host> hosts, Map<Host, String> credentialNames,
            Map<String, CredentialSpec> credentials, Map<String, List<Host>> groups,
            Map<Host, Map<String, String>> vars) {

        /** Copies everything. */
        public Contents {
            hosts = List.copyOf(hosts);
            credentialNames = Map.copyOf(credentialNames);
            credentials = Map.copyOf(credentials);
            Map<String, List<Host>> ordered = new LinkedHashMap<>();
            groups.forEach((name, members) -> ordered.put(name, List.copyOf(members)));
            groups = Collections.unmodifiableMap(ordered);
            vars = Map.copyOf(vars);
        }
    }

    /**
     * Where the hosts of one list come from: the user, port and credentials an inventory gives them, each null when
     * it gives none, and the variables it gives them.
     */
    private record Scope(String user, Integer port, String credentials, Map<String, String> vars) {
        static final Scope NONE = new Scope(null, null, null, Map.of());
    }

    /**
     * The user and port of a host its entry, list and inventory name none for (the command line's {@code -u} and
     * {@code -p}, or an SSH config's {@code User} and {@code Port}).
     */
    public interface HostDefaults {
        /** The user of this address, or null when there is none (the entry is then an error). */
        String user(String address);

        /** The port of this address. */
        int port(String address);

        /** The same user and port for every address. */
        static HostDefaults of(String user, int port) {
            return new HostDefaults() {
                @Override
                public String user(String address) {
                    return user;
                }

                @Override
                public int port(String address) {
                    return port;
                }
            };
        }
    }

    private final HostDefaults defaults;
    private final int maxExpansion;

    /**
     * @param defaultUser the user of entries that name none (null: such entries are errors)
     * @param defaultPort the port of entries that name none
     * @param maxExpansion the most hosts one pattern may expand to
     */
    public Inventory(String defaultUser, int defaultPort, int maxExpansion) {
        this(HostDefaults.of(defaultUser, defaultPort), maxExpansion);
    }

    /**
     * @param defaults the user and port of each host whose entry names none
     * @param maxExpansion the most hosts one pattern may expand to
     */
    public Inventory(HostDefaults defaults, int maxExpansion) {
        this.defaults = defaults;
        this.maxExpansion = maxExpansion;
    }

    /** The hosts of one entry ({@code [user@]pattern[:port]}); a comma separates several entries. */
    public List<Host> parseEntries(String text, String where) {
        List<Host> hosts = new ArrayList<>();
        for (String entry : splitOutsideBrackets(text)) {
            if (!entry.isBlank()) {
                hosts.addAll(entry(entry.strip(), Scope.NONE, where));
            }
        }
        return hosts;
    }

    /**
     * Reads an inventory file.
     *
     * @throws IllegalArgumentException naming the file and line or key for any problem, including an empty file
     */
    public Contents read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read inventory " + file + ": " + e.getMessage(), e);
        }
        String name = file.getFileName().toString();
        Contents contents = name.endsWith(".yaml") || name.endsWith(".yml") ? readYaml(text, file)
                : new Contents(readPlain(text, file), Map.of(), Map.of(), Map.of(), Map.of());
        if (contents.hosts().isEmpty()) {
            throw new IllegalArgumentException("inventory " + file + " lists no hosts");
        }
        return contents;
    }

    private List<Host> readPlain(String text, Path file) {
        List<Host> hosts = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            int hash = line.indexOf('#');
            String entry = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!entry.isEmpty()) {
                hosts.addAll(entry(entry, Scope.NONE, file + ":" + (i + 1)));
            }
        }
        return hosts;
    }

    private Contents readYaml(String text, Path file) {
        Object document;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file.toString()).build();
            requireShallow(text, settings, file);
            document = new Load(settings).loadFromString(text);
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(mark -> mark.getLine() + 1).orElse(0);
            String[] lines = text.split("\n", -1);
            boolean bracket = line > 0 && line <= lines.length && lines[line - 1].contains("[");
            throw new IllegalArgumentException(file + ":" + line + ": malformed YAML: " + e.getProblem()
                    + (bracket ? " " + QUOTE_BRACKETS : ""), e);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(file + ": malformed YAML: " + e.getMessage(), e);
        }
        if (document == null) {
            return new Contents(List.of(), Map.of(), Map.of(), Map.of(), Map.of());
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException(file + ": expected a mapping with defaults, hosts, groups, credentials");
        }
        checkKeys(top, TOP_KEYS, file + ": ");
        Map<String, CredentialSpec> credentials = credentialSets(top.get("credentials"), file + ": credentials");
        Scope scope = Scope.NONE;
        if (top.get("defaults") instanceof Map<?, ?> defaults) {
            checkKeys(defaults, DEFAULTS_KEYS, file + ": defaults.");
            scope = scope(defaults, scope, credentials, file + ": defaults");
        } else if (top.containsKey("defaults")) {
            throw new IllegalArgumentException(file + ": defaults must be a mapping");
        }
        List<Host> hosts = new ArrayList<>();
        Map<Host, String> names = new java.util.HashMap<>();
        Map<Host, Map<String, String>> vars = new java.util.HashMap<>();
        list(top.get("hosts"), scope, credentials, file + ": hosts", hosts, names, vars);
        Map<String, List<Host>> members = new LinkedHashMap<>();
        if (top.get("groups") instanceof Map<?, ?> groups) {
            for (var group : groups.entrySet()) {
                String name = String.valueOf(group.getKey());
                String where = file + ": groups." + name;
                requireGroupName(name, where);
                if (!(group.getValue() instanceof Map<?, ?> body)) {
                    throw new IllegalArgumentException(where + " must be a mapping with hosts");
                }
                checkKeys(body, GROUP_KEYS, where + ".");
                List<Host> groupHosts = new ArrayList<>();
                list(body.get("hosts"), scope(body, scope, credentials, where), credentials, where + ".hosts",
                        groupHosts, names, vars);
                hosts.addAll(groupHosts);
                members.put(name, groupHosts);
            }
        } else if (top.containsKey("groups")) {
            throw new IllegalArgumentException(file + ": groups must be a mapping of group names");
        }
        return new Contents(distinct(hosts), names, credentials, members, vars); // a host in several groups is one host
    }

    /** A group's name is written in --limit, whose terms are separated by ',' and ':', and never a port. */
    private static void requireGroupName(String name, String where) {
        if (name.equals(ALL) || name.equals(UNGROUPED)) {
            throw new IllegalArgumentException(where + ": '" + name + "' is a reserved group name (" + ALL
                    + ": every host, " + UNGROUPED + ": the hosts of no group)");
        }
        if (!GROUP_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(where + ": a group name starts with a letter or '_' and has letters, "
                    + "digits, '_', '-' and '.' only (it is written in --limit)");
        }
    }

    /**
     * Refuses YAML nested deeper than {@value #MAX_YAML_DEPTH} levels, naming the line, before snakeyaml-engine
     * builds it: its composer recurses once per level and ends in a StackOverflowError some thousands deep. Its
     * event parser does not recurse, so counting events is safe at any depth.
     */
    private static void requireShallow(String text, LoadSettings settings, Path file) {
        int depth = 0;
        ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
        while (parser.hasNext()) {
            Event event = parser.next();
            if (event instanceof CollectionStartEvent && ++depth > MAX_YAML_DEPTH) {
                int line = event.getStartMark().map(mark -> mark.getLine() + 1).orElse(0);
                throw new IllegalArgumentException(file + ":" + line + ": YAML nested deeper than " + MAX_YAML_DEPTH
                        + " levels (an inventory needs 5)");
            }
            if (event instanceof CollectionEndEvent) {
                depth--;
            }
        }
    }

    private static Scope scope(Map<?, ?> map, Scope outer, Map<String, CredentialSpec> credentials, String where) {
        String user = map.containsKey("user") ? string(map.get("user"), where + ".user") : outer.user();
        Integer port = map.containsKey("port") ? Integer.valueOf(port(map.get("port"), where + ".port"))
                : outer.port();
        String reference = outer.credentials();
        if (map.containsKey("credentials")) {
            reference = string(map.get("credentials"), where + ".credentials");
            if (!credentials.containsKey(reference)) {
                throw new IllegalArgumentException(where + ".credentials: '" + reference + "' is not defined under "
                        + "credentials (defined: " + String.join(", ", credentials.keySet().stream().sorted().toList())
                        + ")");
            }
        }
        Map<String, String> vars = outer.vars();
        if (map.containsKey("vars")) {
            vars = new java.util.LinkedHashMap<>(outer.vars());
            vars.putAll(variables(map.get("vars"), where + ".vars"));
        }
        return new Scope(user, port, reference, vars);
    }

    /** A {@code vars:} mapping: names as commands write them, values scalars (taken as text). */
    private static Map<String, String> variables(Object value, String where) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(where + " must map variable names to values");
        }
        Map<String, String> vars = new java.util.LinkedHashMap<>();
        for (var entry : map.entrySet()) {
            String name = String.valueOf(entry.getKey());
            if (!VARIABLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": variable name '" + name + "' must be letters, digits "
                        + "and '_', not starting with a digit");
            }
            Object scalar = entry.getValue();
            if (!(scalar instanceof String || scalar instanceof Number || scalar instanceof Boolean)) {
                throw new IllegalArgumentException(where + "." + name + " must be a string, number or boolean");
            }
            String text = String.valueOf(scalar);
            if (text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(where + "." + name + " holds a NUL character");
            }
            vars.put(name, text);
        }
        return vars;
    }

    private static Map<String, CredentialSpec> credentialSets(Object value, String where) {
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> sets)) {
            throw new IllegalArgumentException(where + " must map names to credential sources");
        }
        Map<String, CredentialSpec> specs = new java.util.HashMap<>();
        for (var set : sets.entrySet()) {
            String at = where + "." + set.getKey();
            if (!(set.getValue() instanceof Map<?, ?> body)) {
                throw new IllegalArgumentException(at + " must be a mapping (password-env, password-file, identity, "
                        + "passphrase-env)");
            }
            checkKeys(body, CREDENTIAL_KEYS, at + ".");
            List<Path> identities = new ArrayList<>();
            Object identity = body.get("identity");
            if (identity instanceof List<?> files) {
                files.forEach(entry -> identities.add(Path.of(string(entry, at + ".identity"))));
            } else if (identity != null) {
                identities.add(Path.of(string(identity, at + ".identity")));
            }
            CredentialSpec spec = new CredentialSpec(
                    java.util.Optional.ofNullable(body.get("password-env")).map(v -> string(v, at + ".password-env")),
                    java.util.Optional.ofNullable(body.get("password-file")).map(v -> Path.of(string(v,
                            at + ".password-file"))),
                    identities,
                    java.util.Optional.ofNullable(body.get("passphrase-env"))
                            .map(v -> string(v, at + ".passphrase-env")));
            if (spec.passwordEnv().isEmpty() && spec.passwordFile().isEmpty() && identities.isEmpty()) {
                throw new IllegalArgumentException(at + " needs password-env, password-file or identity");
            }
            specs.put(String.valueOf(set.getKey()), spec);
        }
        return specs;
    }

    private void list(Object value, Scope scope, Map<String, CredentialSpec> credentials, String where,
            List<Host> hosts, Map<Host, String> names, Map<Host, Map<String, String>> vars) {
        if (value == null) {
            return;
        }
        if (!(value instanceof List<?> items)) {
            throw new IllegalArgumentException(where + " must be a list");
        }
        for (int i = 0; i < items.size(); i++) {
            Object item = items.get(i);
            String at = where + "[" + i + "]";
            Scope entryScope = scope;
            String text;
            if (item instanceof String plain) {
                text = plain.strip();
            } else if (item instanceof Map<?, ?> map) {
                checkKeys(map, ENTRY_KEYS, at + ".");
                if (!map.containsKey("host")) {
                    throw new IllegalArgumentException(at + ": 'host' is missing");
                }
                entryScope = scope(map, scope, credentials, at);
                text = string(map.get("host"), at + ".host");
            } else if (item instanceof List<?>) {
                throw new IllegalArgumentException(at + " is a YAML list, not a host: " + QUOTE_BRACKETS);
            } else {
                throw new IllegalArgumentException(at + " must be a host or a mapping with 'host'");
            }
            for (Host host : entry(text, entryScope, at)) {
                hosts.add(host);
                if (entryScope.credentials() != null) {
                    names.put(host, entryScope.credentials());
                }
                if (!entryScope.vars().isEmpty()) {
                    vars.put(host, Map.copyOf(entryScope.vars()));
                }
            }
        }
    }

    private List<Host> entry(String entry, Scope scope, String where) {
        String rest = entry;
        String entryUser = scope.user();
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            entryUser = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        Integer entryPort = scope.port();
        boolean bracketedAddress = isBracketedAddress(rest);
        if (bracketedAddress) {
            int close = rest.indexOf(']');
            String tail = rest.substring(close + 1);
            if (!tail.isEmpty()) {
                if (!tail.startsWith(":")) {
                    throw new IllegalArgumentException(where + ": unexpected text after ']' in '" + entry + "'");
                }
                entryPort = port(tail.substring(1), where);
            }
            rest = rest.substring(1, close);
        } else {
            int colon = rest.lastIndexOf(':');
            if (colon >= 0 && rest.indexOf(':') == colon) {
                entryPort = port(rest.substring(colon + 1), where);
                rest = rest.substring(0, colon);
            }
        }
        if (entryUser != null && entryUser.isBlank()) {
            throw noUser(entry, where);
        }
        List<Host> hosts = new ArrayList<>();
        for (String name : bracketedAddress ? List.of(rest) : expand(rest, where)) {
            String user = entryUser != null ? entryUser : defaults.user(name);
            if (user == null || user.isBlank()) {
                throw noUser(entry, where);
            }
            try {
                hosts.add(new Host(name, entryPort != null ? entryPort : defaults.port(name), user));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return hosts;
    }

    private List<String> expand(String pattern, String where) {
        try {
            return HostPatterns.expand(pattern, maxExpansion);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static IllegalArgumentException noUser(String entry, String where) {
        return new IllegalArgumentException(where + ": no user for '" + entry
                + "' (give user@host, -u or defaults.user)");
    }

    /** {@code [addr]} or {@code [addr]:port} with a ':' inside the brackets: an IPv6 address, never a range. */
    private static boolean isBracketedAddress(String text) {
        int close = text.indexOf(']');
        return text.startsWith("[") && close > 0 && text.substring(1, close).indexOf(':') >= 0;
    }

    private static int port(Object value, String where) {
        try {
            int port = value instanceof Number number ? number.intValue() : Integer.parseInt(String.valueOf(value));
            if (port < 1 || port > 65_535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(where + ": invalid port '" + value + "' (1..65535)", e);
        }
    }

    private static String string(Object value, String where) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException(where + " must be a non-empty string");
        }
        return text;
    }

    private static void checkKeys(Map<?, ?> map, Set<String> known, String where) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + "unknown key '" + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static List<String> splitOutsideBrackets(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            }
            if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    /** Removes repeated hosts, keeping each first occurrence; returns the distinct hosts in order. */
    public static List<Host> distinct(List<Host> hosts) {
        return List.copyOf(new LinkedHashSet<>(hosts));
    }
}
