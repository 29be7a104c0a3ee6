package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.HostStatus;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of several results files joined into those of one run, as {@code fanout merge} prints them: the
 * {@code --out} files of the shares of one run ({@code --shard K/N}), or their {@code --format json} documents.
 * Each host has one record: a host recorded in two files, or twice in one, is an error naming both places. The one
 * exception is what {@code --out} and {@code --resume} on the same file write: a rerun appends a host's new record
 * after its failed one, and the later record of a host not recorded ok replaces the earlier.
 *
 * @param results one per host, in the order of the files and their lines (or of {@link #forHosts})
 * @param missing the hosts of {@link #forHosts} that no file records, in their order
 */
record MergedResults(List<RecordedResult> results, List<Host> missing) {

    /** Why a host of {@link #forHosts} without a record shows as skipped. */
    static final String NO_RECORD = "no record in the results files merged";

    /** Copies the lists. */
    MergedResults {
        results = List.copyOf(results);
        missing = List.copyOf(missing);
    }

    /**
     * Reads and joins {@code files}.
     *
     * @throws IllegalArgumentException naming the file (and line) of a file that cannot be read, is given twice,
     *     holds a part that is not a whole record, a record of a newer schema version or one that does not hold
     *     what the schema says; and naming the host and both places, for a host recorded twice
     */
    static MergedResults read(List<Path> files) {
        requireDistinct(files);
        Map<Host, RecordedResult> byHost = new LinkedHashMap<>();
        List<String> overlaps = new ArrayList<>();
        for (Path file : files) {
            ResultRecords.Contents contents = ResultRecords.readWhole(file);
            if (!contents.problems().isEmpty()) {
                ResultRecords.Problem first = contents.problems().get(0);
                int more = contents.problems().size() - 1;
                throw new IllegalArgumentException(file + ":" + first.line() + ": " + first.reason()
                        + (more == 0 ? "" : "; and " + more + " more parts that are not whole records"));
            }
            for (ResultRecords.HostRecord record : contents.records()) {
                RecordedResult result = RecordedResult.of(record, file);
                RecordedResult before = byHost.get(result.host());
                if (before == null || rerun(before, result)) {
                    byHost.put(result.host(), result);
                } else {
                    overlaps.add(result.host() + " has two records: " + before.place() + " (" + before.status()
                            .label() + ") and " + result.place() + " (" + result.status().label() + ")");
                }
            }
        }
        if (!overlaps.isEmpty()) {
            throw new IllegalArgumentException(overlaps.get(0) + (overlaps.size() == 1 ? ""
                    : "; and " + (overlaps.size() - 1) + " more records of hosts recorded before")
                    + ". Each host must have one record: were the files written by the shares of one run, each "
                    + "--shard K/N once?");
        }
        return new MergedResults(new ArrayList<>(byHost.values()), List.of());
    }

    /** Whether {@code later} is a rerun's record after {@code earlier} (--out and --resume on one file). */
    private static boolean rerun(RecordedResult earlier, RecordedResult later) {
        return earlier.file().equals(later.file()) && earlier.status() != HostStatus.OK;
    }

    private static void requireDistinct(List<Path> files) {
        Map<Path, Path> seen = new HashMap<>();
        for (Path file : files) {
            Path real;
            try {
                real = file.toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read results file " + file + ": "
                        + (e instanceof NoSuchFileException ? "no such file" : e.getMessage()), e);
            }
            Path before = seen.putIfAbsent(real, file);
            if (before != null) {
                throw new IllegalArgumentException("results file " + file + " is given twice"
                        + (before.equals(file) ? "" : " (also as " + before + ")"));
            }
        }
    }

    /**
     * These results as those of a run of {@code hosts}: in their order, a host without a record skipped
     * ({@link #NO_RECORD}) and named in {@link #missing()}.
     *
     * @throws IllegalArgumentException naming the file and line of a record of a host that is not one of
     *     {@code hosts}
     */
    MergedResults forHosts(List<Host> hosts) {
        Set<Host> wanted = new HashSet<>(hosts);
        List<RecordedResult> others = results.stream().filter(result -> !wanted.contains(result.host())).toList();
        if (!others.isEmpty()) {
            RecordedResult first = others.get(0);
            throw new IllegalArgumentException(first.place() + ": " + first.host() + " is not one of the "
                    + hosts.size() + " hosts of the host options given (-i, -H, -u, -p, the filters, --shard)"
                    + (others.size() == 1 ? "" : "; and " + (others.size() - 1) + " more records of other hosts"));
        }
        Map<Host, RecordedResult> byHost = new HashMap<>();
        results.forEach(result -> byHost.put(result.host(), result));
        List<RecordedResult> ordered = new ArrayList<>();
        List<Host> without = new ArrayList<>();
        for (Host host : hosts) {
            RecordedResult result = byHost.get(host);
            if (result == null) {
                without.add(host);
                result = RecordedResult.withoutRecord(host, NO_RECORD);
            }
            ordered.add(result);
        }
        return new MergedResults(ordered, without);
    }

    /**
     * The summary of these results as one run's: the hosts' statuses, no duplicates (each host has one record),
     * and as the run's time the longest host's (the shares ran side by side).
     */
    RunSummary summary(int skippedByResume) {
        Duration longest = results.stream().map(RecordedResult::total).max(Duration::compareTo)
                .orElse(Duration.ZERO);
        return new RunSummary(RunSummary.counts(results.stream().map(RecordedResult::status).toList()), 0,
                skippedByResume, longest);
    }
}
