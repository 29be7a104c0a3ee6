package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.Target;
import dev.fanout.internal.inventory.CredentialSpec;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hosts a run goes to, as {@link HostOptions} found them.
 *
 * @param all every host of the inventories and host lists that the limit and exclusions leave, each once, in order
 * @param toRun the hosts to run: {@code all} but those that {@code --resume} found ok already
 * @param inventorySets the credential set that an inventory names for a host, for the hosts that have one
 * @param vars the variables an inventory gives a host, for the hosts that have some
 */
record HostSelection(List<Host> all, List<Host> toRun, Map<Host, InventorySet> inventorySets,
        Map<Host, Map<String, String>> vars) {

    /**
     * A named credential set of an inventory.
     *
     * @param inventory the inventory file
     * @param name the set's name in it
     * @param spec the set
     */
    record InventorySet(Path inventory, String name, CredentialSpec spec) {
    }

    /** Copies the lists and the map. */
    HostSelection {
        all = List.copyOf(all);
        toRun = List.copyOf(toRun);
        inventorySets = Map.copyOf(inventorySets);
        vars = Map.copyOf(vars);
    }

    /** The hosts to run, each with its variables. */
    List<Target> targets() {
        return toRun.stream().map(host -> Target.of(host).withVars(vars.getOrDefault(host, Map.of()))).toList();
    }

    /** The hosts left out because {@code --resume} found them ok. */
    int skippedByResume() {
        return all.size() - toRun.size();
    }

    /** Where the hosts with their own credentials got them, as {@code --failed-hosts} writes it. */
    Map<Host, FailedHostsFile.Source> credentialSources() {
        Map<Host, FailedHostsFile.Source> sources = new HashMap<>();
        inventorySets.forEach((host, set) -> sources.put(host, new FailedHostsFile.Source(set.name(), set.spec())));
        return sources;
    }
}
