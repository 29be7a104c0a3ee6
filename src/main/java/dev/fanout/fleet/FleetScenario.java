package dev.fanout.fleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * Reads a fleet scenario file (YAML) onto a {@link FleetConfig}. Keys, all optional:
 *
 * <pre>
 * hosts: 500
 * user: root
 * latency: 100ms                     # every phase; or per phase:
 * connect-latency: 50ms..150ms       # banner
 * auth-latency: 100ms
 * command-latency: 100ms
 * keyboard-interactive-fraction: 0.2 # hosts that offer keyboard-interactive only
 * max-startups: 10                   # drop handshakes beyond 10 in flight, as OpenSSH does
 * seed: 1                            # which hosts a fraction picks
 * bastion: true                      # hosts reachable only through the fleet's bastion (127.100.0.1)
 * faults:
 *   - type: refuse                   # refuse, blackhole, reject-credentials, host-key-changed,
 *     fraction: 0.01                 # drop-mid-command, hang, huge-output, invalid-utf8
 *   - type: huge-output
 *     hosts: [7, 8]                  # 0-based host indexes
 *     bytes: 1GiB
 * </pre>
 *
 * The password is never in a scenario: it comes from the caller. Unknown keys and wrong values are errors
 * naming the file and the key.
 */
public final class FleetScenario {

    private static final Set<String> KEYS = Set.of("hosts", "user", "latency", "connect-latency", "auth-latency",
            "command-latency", "keyboard-interactive-fraction", "max-startups", "seed", "faults", "bastion");
    private static final Set<String> FAULT_KEYS = Set.of("type", "hosts", "fraction", "bytes");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KiB|MiB|GiB|K|M|G)?");

    private FleetScenario() {
    }

    /**
     * Applies the scenario in {@code file} to {@code base}.
     *
     * @throws IllegalArgumentException if the file cannot be read or is malformed, naming it and the key
     */
    public static FleetConfig load(Path file, FleetConfig base) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read scenario " + file + ": " + e.getMessage(), e);
        }
        try {
            return apply(text, base);
        } catch (IllegalArgumentException | ClassCastException | YamlEngineException e) {
            throw new IllegalArgumentException("scenario " + file + ": " + e.getMessage(), e);
        }
    }

    /** Applies scenario text to {@code base}. */
    static FleetConfig apply(String text, FleetConfig base) {
        Object document = new Load(LoadSettings.builder().build()).loadFromString(text);
        if (document == null) {
            return base;
        }
        if (!(document instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("expected a mapping of settings at the top");
        }
        checkKeys(map, KEYS, "");
        FleetConfig config = base;
        if (map.containsKey("hosts")) {
            config = config.withHosts(integer(map, "hosts"));
        }
        if (map.containsKey("user")) {
            config = config.withLogin(string(map, "user"), config.password());
        }
        if (map.containsKey("latency")) {
            config = config.withLatency(latency(map, "latency"));
        }
        config = config.withLatencies(
                map.containsKey("connect-latency") ? latency(map, "connect-latency") : config.connectLatency(),
                map.containsKey("auth-latency") ? latency(map, "auth-latency") : config.authLatency(),
                map.containsKey("command-latency") ? latency(map, "command-latency") : config.commandLatency());
        if (map.containsKey("keyboard-interactive-fraction")) {
            config = config.withKeyboardInteractiveFraction(number(map, "keyboard-interactive-fraction"));
        }
        if (map.containsKey("max-startups")) {
            config = config.withMaxStartups(integer(map, "max-startups"));
        }
        if (map.containsKey("seed")) {
            config = config.withSeed(integer(map, "seed"));
        }
        if (map.containsKey("faults")) {
            config = config.withFaults(faults(map.get("faults")));
        }
        if (map.containsKey("bastion")) {
            if (!(map.get("bastion") instanceof Boolean bastion)) {
                throw new IllegalArgumentException("'bastion' must be true or false: " + map.get("bastion"));
            }
            config = config.withBastion(bastion);
        }
        return config;
    }

    private static List<Fault> faults(Object value) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("'faults' must be a list");
        }
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> entry)) {
                throw new IllegalArgumentException("faults[" + i + "] must be a mapping");
            }
            String where = "faults[" + i + "].";
            checkKeys(entry, FAULT_KEYS, where);
            if (!entry.containsKey("type")) {
                throw new IllegalArgumentException(where + "type is missing");
            }
            FaultType type = FaultType.fromLabel(string(entry, "type"));
            Set<Integer> hosts = new HashSet<>();
            if (entry.get("hosts") instanceof List<?> indexes) {
                for (Object index : indexes) {
                    if (!(index instanceof Number number)) {
                        throw new IllegalArgumentException(where + "hosts must list host indexes: " + index);
                    }
                    hosts.add(number.intValue());
                }
            } else if (entry.containsKey("hosts")) {
                throw new IllegalArgumentException(where + "hosts must be a list of host indexes");
            }
            double fraction = entry.containsKey("fraction") ? number(entry, "fraction") : 0;
            long bytes = entry.containsKey("bytes") ? size(String.valueOf(entry.get("bytes")), where + "bytes") : 0;
            if (type == FaultType.HUGE_OUTPUT && bytes == 0) {
                throw new IllegalArgumentException(where + "bytes is required for huge-output");
            }
            faults.add(new Fault(type, hosts, fraction, bytes));
        }
        return faults;
    }

    /** Parses {@code 1048576}, {@code 512KiB}, {@code 50MiB}, {@code 1GiB} (K, M, G: the same binary units). */
    public static long size(String text, String what) {
        Matcher matcher = SIZE.matcher(text.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException(what + " must be a size like 1048576, 512KiB, 50MiB or 1GiB: " + text);
        }
        long amount = Long.parseLong(matcher.group(1));
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        return amount << switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
    }

    private static void checkKeys(Map<?, ?> map, Set<String> known, String where) {
        for (Object key : map.keySet()) {
            if (!known.contains(String.valueOf(key))) {
                throw new IllegalArgumentException("unknown key '" + where + key + "' (known: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    private static String string(Map<?, ?> map, String key) {
        Object value = map.get(key);
        if (!(value instanceof String text) || text.isBlank()) {
            throw new IllegalArgumentException("'" + key + "' must be a non-empty string");
        }
        return text;
    }

    private static int integer(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
            throw new IllegalArgumentException("'" + key + "' must be a whole number: " + map.get(key));
        }
        return number.intValue();
    }

    private static double number(Map<?, ?> map, String key) {
        if (!(map.get(key) instanceof Number number)) {
            throw new IllegalArgumentException("'" + key + "' must be a number: " + map.get(key));
        }
        return number.doubleValue();
    }

    private static Latency latency(Map<?, ?> map, String key) {
        try {
            return Latency.parse(String.valueOf(map.get(key)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + key + "': " + e.getMessage(), e);
        }
    }
}
