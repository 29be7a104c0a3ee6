package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.SshConfig;
import dev.fanout.internal.inventory.HostEntries;
import dev.fanout.internal.inventory.Inventory;
import dev.fanout.internal.inventory.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The hosts options of {@code run}, {@code copy}, {@code fetch} and {@code hosts}: inventories ({@code -i}), host
 * lists with patterns ({@code -H}), the user and port of hosts that name none, the largest pattern, the limit and
 * exclusions of {@link HostFilterOptions}, {@code --shard} ({@link Shard}), and {@code --resume}, which leaves out the
 * hosts a previous run's
 * {@code --out} file records as ok.
 */
final class HostOptions {

    @Option(names = {"-i", "--inventory"}, paramLabel = "FILE",
            description = "Inventory: a plain list ([user@]host[:port] a line) or YAML (.yaml/.yml). Repeatable.")
    private List<Path> inventories = new ArrayList<>();

    @Option(names = {"-H", "--hosts"}, paramLabel = "HOSTS",
            description = "Hosts, comma separated, patterns allowed: web[01-50].dc1, 10.0.[0-3].[1-254]. Repeatable.")
    private List<String> hostLists = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Login user of hosts that name none "
            + "(default: the ssh config's User, else the current user).")
    private String user;

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of hosts that name none "
            + "(default: the ssh config's Port, else 22).")
    private Integer port;

    @Option(names = "--max-pattern-hosts", paramLabel = "N", defaultValue = "100000",
            description = "The most hosts one pattern may expand to (default 100000).")
    private int maxPatternHosts;

    @Option(names = "--resume", paramLabel = "FILE", description = "Skip hosts already ok in this --out file.")
    private Path resumeFile;

    @Option(names = "--shard", paramLabel = "K/N", description = "Run share K of N (K from 0): every host falls "
            + "in exactly one share, the same whatever the inventory's order. For N processes or Kubernetes "
            + "Indexed Job pods; their --out files together hold each host once.")
    private String shard;

    @Mixin
    private HostFilterOptions filters;

    /**
     * Reads the inventories and host lists, removes repeated hosts, applies the limit and the exclusions, takes the
     * shard, then leaves out what the resume file records as done. A host whose entry (and inventory) names no
     * user or port gets {@code -u} and {@code -p}; without them, as {@code ssh} does, the config's {@code User}
     * and {@code Port}, else the current user and 22.
     *
     * @param config the OpenSSH client config in force, if any
     * @param warnings told of duplicate hosts removed and of lines of the resume file skipped
     * @throws IllegalArgumentException when there are no hosts, naming the file and line of a bad entry, or the
     *     limit or exclusion that names no host
     */
    HostSelection select(Optional<SshConfig> config, Consumer<String> warnings) {
        if (inventories.isEmpty() && hostLists.isEmpty()) {
            throw new IllegalArgumentException("no hosts: give -i FILE or -H HOSTS");
        }
        Inventory inventory = new Inventory(defaults(config), maxPatternHosts);
        List<Host> hosts = new ArrayList<>();
        Map<String, List<Host>> groups = new HashMap<>();
        Map<Host, HostSelection.InventorySet> sets = new HashMap<>();
        Map<Host, Map<String, String>> vars = new HashMap<>();
        for (Path file : inventories) {
            Inventory.Contents contents = inventory.read(file);
            hosts.addAll(contents.hosts());
            contents.groups().forEach((name, members) -> groups.computeIfAbsent(name, key -> new ArrayList<>())
                    .addAll(members));
            vars.putAll(contents.vars());
            contents.credentialNames().forEach((host, name) -> sets.put(host,
                    new HostSelection.InventorySet(file, name, contents.credentials().get(name))));
        }
        for (String list : hostLists) {
            hosts.addAll(inventory.parseEntries(list, "-H '" + list + "'"));
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no hosts in the -H lists given");
        }
        List<Host> distinct = Inventory.distinct(hosts);
        if (distinct.size() < hosts.size()) {
            warnings.accept((hosts.size() - distinct.size()) + " duplicate hosts removed");
        }
        List<Host> chosen = filters.apply(distinct, groups, inventory);
        if (shard != null) {
            chosen = Shard.parse(shard).of(chosen);
        }
        return new HostSelection(chosen, withoutResumed(chosen, warnings), sets, vars);
    }

    /** Writes hosts as -H and host lists read them back with these options' user and port. */
    HostEntries entries() {
        return new HostEntries(user != null ? user : System.getProperty("user.name"),
                port != null ? port : Host.DEFAULT_PORT);
    }

    private Inventory.HostDefaults defaults(Optional<SshConfig> config) {
        String currentUser = System.getProperty("user.name");
        if (config.isEmpty()) {
            return Inventory.HostDefaults.of(user != null ? user : currentUser,
                    port != null ? port : Host.DEFAULT_PORT);
        }
        // Each distinct address is looked up once, for its user and port both.
        Map<String, Host> resolved = new HashMap<>();
        Function<String, Host> fromConfig = address -> resolved.computeIfAbsent(address,
                name -> config.get().host(name, currentUser));
        return new Inventory.HostDefaults() {
            @Override
            public String user(String address) {
                return user != null ? user : fromConfig.apply(address).user();
            }

            @Override
            public int port(String address) {
                return port != null ? port : fromConfig.apply(address).port();
            }
        };
    }

    private List<Host> withoutResumed(List<Host> hosts, Consumer<String> warnings) {
        if (resumeFile == null) {
            return hosts;
        }
        ResumeFile resume = ResumeFile.read(resumeFile);
        resume.warning().ifPresent(warnings);
        Set<Host> done = resume.okHosts();
        return hosts.stream().filter(host -> !done.contains(host)).toList();
    }
}
