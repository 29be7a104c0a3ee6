package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.internal.inventory.HostEntries;
import dev.fanout.internal.inventory.Inventory;
import dev.fanout.internal.inventory.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
            + "(default: the current user).")
    private String user = System.getProperty("user.name");

    @Option(names = {"-p", "--port"}, paramLabel = "PORT", description = "Port of hosts that name none (default 22).")
    private int port = Host.DEFAULT_PORT;

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
     * shard, then leaves out what the resume file records as done.
     *
     * @param warnings told of duplicate hosts removed and of lines of the resume file skipped
     * @throws IllegalArgumentException when there are no hosts, naming the file and line of a bad entry, or the
     *     limit or exclusion that names no host
     */
    HostSelection select(Consumer<String> warnings) {
        if (inventories.isEmpty() && hostLists.isEmpty()) {
            throw new IllegalArgumentException("no hosts: give -i FILE or -H HOSTS");
        }
        Inventory inventory = new Inventory(user, port, maxPatternHosts);
        List<Host> hosts = new ArrayList<>();
        Map<String, List<Host>> groups = new HashMap<>();
        Map<Host, HostSelection.InventorySet> sets = new HashMap<>();
        for (Path file : inventories) {
            Inventory.Contents contents = inventory.read(file);
            hosts.addAll(contents.hosts());
            contents.groups().forEach((name, members) -> groups.computeIfAbsent(name, key -> new ArrayList<>())
                    .addAll(members));
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
        return new HostSelection(chosen, withoutResumed(chosen, warnings), sets);
    }

    /** Writes hosts as -H and host lists read them back with these options' user and port. */
    HostEntries entries() {
        return new HostEntries(user, port);
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
