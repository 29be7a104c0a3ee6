package dev.fanout.cli;

import dev.fanout.Host;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hosts already done according to a results file of an earlier run (the {@code --out} file, or a saved
 * {@code --format json} document; see {@link ResultRecords}): those with status ok. A part of the file that is not a
 * whole result (a line cut short when a run was killed, even inside a UTF-8 character) is skipped, its host simply
 * runs again, and {@link #warning()} names it by file:line.
 *
 * @param okHosts the hosts recorded as ok
 * @param warning what was skipped, naming the file and line, if anything was
 */
record ResumeFile(Set<Host> okHosts, Optional<String> warning) {

    /**
     * Reads {@code file}; an absent file records no host.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read, and the file, line and version if it
     *     holds results of a schema version newer than this release reads
     */
    static ResumeFile read(Path file) {
        if (!Files.exists(file)) {
            return new ResumeFile(Set.of(), Optional.empty());
        }
        ResultRecords.Contents contents = ResultRecords.read(file);
        Set<Host> done = contents.records().stream().filter(ResultRecords.HostRecord::ok)
                .map(ResultRecords.HostRecord::host).collect(Collectors.toUnmodifiableSet());
        List<ResultRecords.Problem> problems = contents.problems();
        return new ResumeFile(done, problems.isEmpty() ? Optional.empty() : Optional.of(warning(file, problems)));
    }

    private static String warning(Path file, List<ResultRecords.Problem> problems) {
        ResultRecords.Problem first = problems.get(0);
        String where = file + ":" + first.line() + ": " + first.reason();
        if (problems.size() == 1) {
            return TerminalText.line(where + "; skipped, its host runs again");
        }
        return TerminalText.line(where + "; skipped, and " + (problems.size() - 1) + " more lines that are not "
                + "results; their hosts run again");
    }
}
