package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.internal.inventory.HostSelector;
import dev.fanout.internal.inventory.Inventory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * The options that leave hosts out of a run, part of {@link HostOptions}: {@code --limit} (Ansible's grammar),
 * {@code -x} (pdsh's) and {@code --exclude-file}; a term that names no host, or a choice of no host, is an error
 * unless {@code --allow-empty}. The grammar is {@link HostSelector}'s, documented in docs/hosts.md.
 */
final class HostFilterOptions {

    @Option(names = "--limit", paramLabel = "EXPR", description = "Only these hosts: groups and patterns separated "
            + "by ',' or ':', '!' leaves out, '&' keeps only: web:&prod:!web03.")
    private String limit;

    @Option(names = {"-x", "--exclude"}, paramLabel = "HOSTS", description = "Leave out these hosts or groups "
            + "(comma separated, patterns and * allowed). Repeatable.")
    private List<String> excludes = new ArrayList<>();

    @Option(names = "--exclude-file", paramLabel = "FILE", description = "Leave out the hosts or groups of this "
            + "file (one a line, # comments; a .yaml/.yml inventory's hosts exactly). Repeatable.")
    private List<Path> excludeFiles = new ArrayList<>();

    @Option(names = "--allow-empty", description = "A limit or exclusion may name no host, and leave none.")
    private boolean allowEmpty;

    /**
     * The hosts left once the limit and the exclusions are applied, in order.
     *
     * @param hosts the run's hosts, each once
     * @param groups the hosts of each group of the inventories
     * @param inventory reads a YAML {@code --exclude-file}
     * @throws IllegalArgumentException naming the option, file and line, for a term that names no host, or no
     *     host left
     */
    List<Host> apply(List<Host> hosts, Map<String, List<Host>> groups, Inventory inventory) {
        HostSelector selector = new HostSelector(hosts, groups, allowEmpty);
        List<Host> chosen = limit == null ? hosts : selector.limit(limit, "--limit '" + limit + "'");
        Set<Host> excluded = new HashSet<>();
        for (String list : excludes) {
            excluded.addAll(selector.excluded(list, "-x '" + list + "'"));
        }
        for (Path file : excludeFiles) {
            excluded.addAll(excludedBy(file, selector, inventory));
        }
        List<Host> left = chosen.stream().filter(host -> !excluded.contains(host)).toList();
        if (left.isEmpty() && !chosen.isEmpty() && !allowEmpty) {
            throw new IllegalArgumentException("-x and --exclude-file leave no host of " + chosen.size()
                    + (limit == null ? "" : " chosen by --limit") + " (--allow-empty allows that)");
        }
        return left;
    }

    private static Set<Host> excludedBy(Path file, HostSelector selector, Inventory inventory) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return selector.exactly(inventory.read(file).hosts(), "--exclude-file " + file);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("--exclude-file " + file + ": cannot read it: "
                    + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
        }
        Set<Host> excluded = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String terms = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!terms.isEmpty()) {
                excluded.addAll(selector.excluded(terms, file + ":" + (i + 1)));
            }
        }
        return excluded;
    }
}
