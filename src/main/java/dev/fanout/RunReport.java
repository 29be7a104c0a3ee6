package dev.fanout;

import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a run: one {@link HostResult} per distinct host, in input order.
 *
 * @param results one per host, in the order the hosts were given (duplicates merged: see {@link Fanout#run})
 * @param duplicatesRemoved how many repeated hosts were merged into their first occurrence
 * @param duration the wall time of the run
 */
public record RunReport(List<HostResult> results, int duplicatesRemoved, Duration duration) {

    /** Copies the results. */
    public RunReport {
        results = List.copyOf(results);
        Objects.requireNonNull(duration, "duration");
    }

    /** How many hosts ended in each status (every status present, zeros included). */
    public Map<HostStatus, Integer> summary() {
        Map<HostStatus, Integer> counts = new EnumMap<>(HostStatus.class);
        for (HostStatus status : HostStatus.values()) {
            counts.put(status, 0);
        }
        results.forEach(result -> counts.merge(result.status(), 1, Integer::sum));
        return counts;
    }

    /** True when every host ended OK. */
    public boolean allOk() {
        return results.stream().allMatch(HostResult::ok);
    }

    /** The hosts that did not end OK, in input order. */
    public List<HostResult> failed() {
        return results.stream().filter(result -> !result.ok()).toList();
    }

    /**
     * Identical outputs grouped, as {@code dshbak -c} does: each distinct {@link HostResult#output()} with the hosts
     * that printed it, groups in order of first appearance.
     */
    public Map<String, List<Host>> groupedOutputs() {
        Map<String, List<Host>> groups = new LinkedHashMap<>();
        for (HostResult result : results) {
            groups.computeIfAbsent(result.output(), key -> new java.util.ArrayList<>()).add(result.host());
        }
        groups.replaceAll((output, hosts) -> List.copyOf(hosts));
        return groups;
    }
}
