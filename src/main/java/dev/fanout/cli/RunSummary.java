package dev.fanout.cli;

import dev.fanout.HostStatus;
import dev.fanout.RunReport;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the end of a run says of it, in the summary line on stderr and the {@code summary} of the JSON document: of
 * a run ({@link #of(RunReport, int)}), or of the results files {@code fanout merge} joins.
 *
 * @param counts how many hosts ended in each status, every status present
 * @param duplicatesRemoved how many repeated hosts were merged into their first occurrence
 * @param skippedByResume how many hosts {@code --resume} left out
 * @param duration the wall time of the run
 */
record RunSummary(Map<HostStatus, Integer> counts, int duplicatesRemoved, int skippedByResume, Duration duration) {

    /** Copies the counts, kept in the order of {@link HostStatus}; rejects a status missing from them. */
    RunSummary {
        for (HostStatus status : HostStatus.values()) {
            if (!counts.containsKey(status)) {
                throw new IllegalArgumentException("no count of " + status.label());
            }
        }
        counts = Collections.unmodifiableMap(new EnumMap<>(counts));
    }

    /** The summary of {@code report}. */
    static RunSummary of(RunReport report, int skippedByResume) {
        return new RunSummary(report.summary(), report.duplicatesRemoved(), skippedByResume, report.duration());
    }

    /** The counts of hosts that ended as {@code statuses} say, in any order. */
    static Map<HostStatus, Integer> counts(List<HostStatus> statuses) {
        Map<HostStatus, Integer> counts = new EnumMap<>(HostStatus.class);
        for (HostStatus status : HostStatus.values()) {
            counts.put(status, 0);
        }
        statuses.forEach(status -> counts.merge(status, 1, Integer::sum));
        return counts;
    }

    /** How many hosts the run has results of. */
    int hosts() {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Whether every host ended ok. */
    boolean allOk() {
        return counts.get(HostStatus.OK) == hosts();
    }
}
