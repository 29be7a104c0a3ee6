package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.internal.inventory.CredentialSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/**
 * The {@code --failed-hosts} file: hosts written as an inventory that {@code -i} reads back to the same hosts with
 * the same credentials and variables. The file's name chooses the format, as it does when the file is read:
 * {@code .yaml} or {@code .yml} gives a YAML inventory whose hosts keep the named credential sets their inventories
 * gave them (each set copied as written: environment variable names and file paths, never a secret) and their
 * variables; any other name a plain list, {@code user@host:port} a line ({@code user@[v6]:port} for IPv6), which has
 * no room for credentials or variables, so a plain list is refused before the run when any host has some.
 */
final class FailedHostsFile {

    /**
     * Where a host's own credentials come from: a named set of an inventory.
     *
     * @param name the set's name in its inventory
     * @param spec the set
     */
    record Source(String name, CredentialSpec spec) {
    }

    private final Path file;
    private final Map<Host, Source> sources;
    private final Map<Host, Map<String, String>> vars;

    /**
     * @param file the file to write
     * @param sources the credential set of each host that has its own
     * @param vars the variables of each host that has some
     * @throws IllegalArgumentException when the file is a plain list and some host has its own credentials or
     *     variables
     */
    FailedHostsFile(Path file, Map<Host, Source> sources, Map<Host, Map<String, String>> vars) {
        this.file = file;
        this.sources = Map.copyOf(sources);
        this.vars = Map.copyOf(vars);
        if (!isYaml(file)) {
            refuseInPlainList(sources.keySet(), "credentials");
            refuseInPlainList(vars.keySet(), "variables");
        }
    }

    private void refuseInPlainList(java.util.Set<Host> hosts, String what) {
        if (!hosts.isEmpty()) {
            Host example = hosts.iterator().next();
            throw new IllegalArgumentException("--failed-hosts " + file + " would be a plain list, which cannot keep "
                    + "the " + what + " inventories give " + example + (hosts.size() > 1 ? " and "
                            + (hosts.size() - 1) + " more" : "")
                    + ": name it .yaml to write a YAML inventory");
        }
    }

    /** The file. */
    Path path() {
        return file;
    }

    /** Writes the hosts, replacing the file. */
    void write(List<Host> hosts) throws IOException {
        String text = isYaml(file) ? yaml(hosts) : plain(hosts);
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".yaml") || name.endsWith(".yml");
    }

    private static String plain(List<Host> hosts) {
        StringBuilder text = new StringBuilder();
        hosts.forEach(host -> text.append(host).append('\n'));
        return text.toString();
    }

    private String yaml(List<Host> hosts) {
        Map<String, Object> credentials = new LinkedHashMap<>();
        Map<Source, String> names = new LinkedHashMap<>();
        List<Object> entries = new ArrayList<>();
        for (Host host : hosts) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("host", host.address());
            entry.put("port", host.port());
            entry.put("user", host.user());
            Source source = sources.get(host);
            if (source != null) {
                entry.put("credentials", names.computeIfAbsent(source, key -> {
                    String name = uniqueName(key.name(), credentials);
                    credentials.put(name, yaml(key.spec()));
                    return name;
                }));
            }
            Map<String, String> hostVars = vars.get(host);
            if (hostVars != null) {
                entry.put("vars", new java.util.TreeMap<>(hostVars));
            }
            entries.add(entry);
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("hosts", entries);
        if (!credentials.isEmpty()) {
            document.put("credentials", credentials);
        }
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build();
        return "# The hosts that did not end ok, with the credential sets their inventories named and their "
                + "variables; rerun with -i "
                + file.getFileName() + "\n" + new Dump(settings).dumpToString(document);
    }

    /** The name, or the name with a number when two inventories define different sets of that name. */
    private static String uniqueName(String name, Map<String, Object> taken) {
        String unique = name;
        for (int n = 2; taken.containsKey(unique); n++) {
            unique = name + "-" + n;
        }
        return unique;
    }

    private static Map<String, Object> yaml(CredentialSpec spec) {
        Map<String, Object> set = new LinkedHashMap<>();
        spec.passwordEnv().ifPresent(variable -> set.put("password-env", variable));
        spec.passwordFile().ifPresent(path -> set.put("password-file", path.toString()));
        if (!spec.identities().isEmpty()) {
            set.put("identity", spec.identities().stream().map(Path::toString).toList());
        }
        spec.passphraseEnv().ifPresent(variable -> set.put("passphrase-env", variable));
        return set;
    }
}
