package dev.fanout.cli;

import dev.fanout.ExecResult;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunListener;
import dev.fanout.RunReport;
import dev.fanout.StdStream;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.internal.inventory.HostPatterns;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Everything {@code fanout run} shows and writes while and after it runs: in text mode, each host's output line by
 * line as it arrives, {@code host: line} as pdsh and clush print it (made safe by {@link TerminalText}); a live
 * progress line on a terminal; one JSON line per host appended to {@code --out} (the {@link ResultsFile}, which this
 * printer does not close); and at the end the summary, groups or JSON document. {@code fanout merge} prints the
 * results it read back through it, as a run's end. Thread-safe: hosts' calls come on
 * many threads, one host's in order.
 */
final class ResultPrinter implements RunListener, AutoCloseable {

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final boolean group;
    private final boolean progress;
    private final ResultsFile jsonLines;
    private final String command;
    private final ReentrantLock lock = new ReentrantLock();
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();
    private final LongAdder bytesMoved = new LongAdder();
    private final Map<String, Long> transferPositions = new ConcurrentHashMap<>();
    /** The lines of each host's streams not printed yet (text mode). */
    private final Map<Host, Map<StdStream, OutputLines>> partialLines = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker;
    private volatile int total;
    private volatile long startNanos;
    private volatile Instant started = Instant.now();

    /**
     * {@code jsonLines} is the {@code --out} file, or null for none; {@code command} the command's name, for the
     * JUnit XML.
     */
    ResultPrinter(PrintWriter out, PrintWriter err, OutputFormat format, boolean group, boolean progress,
            ResultsFile jsonLines, String command) {
        this.out = out;
        this.err = err;
        this.format = format;
        this.group = group;
        this.progress = progress;
        this.jsonLines = jsonLines;
        this.command = command;
        this.ticker = progress ? Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "fanout-progress");
            thread.setDaemon(true);
            return thread;
        }) : null;
    }

    @Override
    public void runStarted(int hosts) {
        total = hosts;
        startNanos = System.nanoTime();
        started = Instant.now();
        if (ticker != null) {
            // The ticks end with the ticker (shutdownNow); drawing only formats and prints to a PrintWriter, which
            // keeps I/O errors to itself, so the future has nothing to report.
            var unused = ticker.scheduleAtFixedRate(this::drawProgress, 0, 250, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The listener to run with: this printer, which in text mode without {@code --group} also prints each host's
     * lines as they arrive (only then does it hear output: fanout streams output only to listeners that take it).
     */
    RunListener listener() {
        return format == OutputFormat.TEXT && !group ? new LineByLine() : this;
    }

    @Override
    public void hostFinished(HostResult result) {
        done.incrementAndGet();
        if (!result.ok()) {
            failed.incrementAndGet();
        }
        lock.lock();
        try {
            if (jsonLines != null) {
                jsonLines.append(ResultsJson.hostLine(result));
            }
        } finally {
            lock.unlock();
        }
    }

    /** This printer, and each host's output printed line by line as it arrives. */
    private final class LineByLine implements RunListener {

        @Override
        public void runStarted(int hosts) {
            ResultPrinter.this.runStarted(hosts);
        }

        @Override
        public void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
            List<String> lines = partialLines.computeIfAbsent(host, h -> new EnumMap<>(StdStream.class))
                    .computeIfAbsent(stream, s -> new OutputLines()).add(bytes);
            if (!lines.isEmpty()) {
                print(host, stream, lines);
            }
        }

        @Override
        public void transferProgress(Host host, Step step, long bytesDone, long bytesTotal) {
            ResultPrinter.this.transferProgress(host, step, bytesDone, bytesTotal);
        }

        @Override
        public void stepFinished(Host host, StepResult result) {
            printRest(host);
            List<String> lines = switch (result) {
                case StepResult.Executed executed -> executed.exec().truncated()
                        ? List.of(truncation(executed.exec()))
                        : List.of();
                case StepResult.Transferred transferred -> List.of(transferLine(transferred));
                case StepResult.TreeTransferred tree -> treeLines(tree);
            };
            if (!lines.isEmpty()) {
                lock.lock();
                try {
                    clearProgress();
                    lines.forEach(line -> out.println(label(host) + ": " + TerminalText.line(line)));
                    out.flush();
                } finally {
                    lock.unlock();
                }
            }
        }

        @Override
        public void hostFinished(HostResult result) {
            printRest(result.host());
            partialLines.remove(result.host());
            ResultPrinter.this.hostFinished(result);
            if (!result.ok()) {
                lock.lock();
                try {
                    clearProgress();
                    out.println(label(result.host()) + ": " + result.status().label().toUpperCase(Locale.ROOT) + ": "
                            + TerminalText.line(result.detail()));
                    out.flush();
                } finally {
                    lock.unlock();
                }
            }
        }

        /** Prints what is left of a host's lines: the end of its step's output, which had no newline. */
        private void printRest(Host host) {
            Map<StdStream, OutputLines> streams = partialLines.getOrDefault(host, Map.of());
            for (StdStream stream : StdStream.values()) {
                OutputLines lines = streams.get(stream);
                if (lines != null) {
                    print(host, stream, lines.rest());
                }
            }
        }

        private void print(Host host, StdStream stream, List<String> lines) {
            if (lines.isEmpty()) {
                return;
            }
            String prefix = label(host) + (stream == StdStream.STDERR ? ": [stderr] " : ": ");
            lock.lock();
            try {
                clearProgress();
                lines.forEach(line -> out.println(prefix + line));
                out.flush();
            } finally {
                lock.unlock();
            }
        }
    }

    /** The line that says a command's output was cut at the limit. */
    static String truncation(ExecResult exec) {
        return truncation(exec.stdout().totalBytes(), exec.stderr().totalBytes());
    }

    /** The line that says a command's output, of these sizes in all, was cut at the limit. */
    private static String truncation(long stdoutBytes, long stderrBytes) {
        return "[output cut at the limit: " + stdoutBytes + " bytes on stdout, " + stderrBytes + " on stderr]";
    }

    /** A transfer as one line, {@code from -> to (bytes, time, sha256)}: paths as given, not yet made safe. */
    static String transferLine(StepResult.Transferred step) {
        return transferLine(step.step() instanceof Step.Upload, step.transfer());
    }

    /** An upload's or a download's transfer as {@link #transferLine(StepResult.Transferred)} writes it. */
    private static String transferLine(boolean upload, TransferResult transfer) {
        String arrow = upload
                ? transfer.localPath() + " -> " + transfer.remotePath()
                : transfer.remotePath() + " -> " + transfer.localPath();
        return arrow + " (" + transfer.bytes() + " bytes, " + transfer.duration().toMillis() + " ms"
                + transfer.sha256().map(sha -> ", sha256 " + sha).orElse("") + overExec(transfer.method()) + ")";
    }

    /**
     * A tree transfer as lines: {@code from -> to (N files, bytes, time)}, then one per entry skipped; each file is in
     * the JSON. Paths as given, not yet made safe.
     */
    static List<String> treeLines(StepResult.TreeTransferred step) {
        return treeLines(step.step() instanceof Step.UploadTree, step.tree());
    }

    /** An upload's or a download's tree as {@link #treeLines(StepResult.TreeTransferred)} writes it. */
    private static List<String> treeLines(boolean upload, TreeTransferResult tree) {
        String arrow = upload
                ? tree.localPath() + " -> " + tree.remotePath()
                : tree.remotePath() + " -> " + tree.localPath();
        List<String> lines = new ArrayList<>();
        lines.add(arrow + " (" + (tree.complete() ? "" : "stopped after ") + tree.files().size() + " files, "
                + tree.bytes() + " bytes, " + tree.duration().toMillis() + " ms" + overExec(tree.method()) + ")");
        for (TreeTransferResult.Skipped skipped : tree.skipped()) {
            lines.add("skipped " + skipped.path() + " (" + skipped.kind() + ")");
        }
        return lines;
    }

    private static String overExec(TransferResult.Method method) {
        return method == TransferResult.Method.EXEC ? ", over exec (no SFTP)" : "";
    }

    /**
     * The name shown for a host: its address, with the port where it is not the usual, an IPv6 address then in
     * brackets ({@code [::1]:2222}), as -H reads it.
     */
    private static String label(Host host) {
        if (host.port() == Host.DEFAULT_PORT) {
            return TerminalText.line(host.address());
        }
        String address = host.address().indexOf(':') >= 0 ? "[" + host.address() + "]" : host.address();
        return TerminalText.line(address) + ":" + host.port();
    }

    /** Hosts as a folded set, {@code 10.0.0.[1-7,9]}; a port shared by all, other than 22, is named once. */
    static String foldedNames(List<Host> hosts) {
        Set<Integer> ports = hosts.stream().map(Host::port).collect(java.util.stream.Collectors.toSet());
        if (ports.size() == 1) {
            int port = ports.iterator().next();
            String folded = TerminalText.line(HostPatterns.fold(hosts.stream().map(Host::address).toList()));
            return port == Host.DEFAULT_PORT ? folded : folded + " port " + port;
        }
        return HostPatterns.fold(hosts.stream().map(ResultPrinter::label).toList());
    }

    /** Counts the bytes uploads and downloads move, for the progress line. */
    @Override
    public void transferProgress(Host host, Step step, long bytesDone, long bytesTotal) {
        Long before = transferPositions.put(host + " " + step.describe(), bytesDone);
        bytesMoved.add(before == null || before > bytesDone ? bytesDone : bytesDone - before);
    }

    private void drawProgress() {
        lock.lock();
        try {
            double elapsed = (System.nanoTime() - startNanos) / 1e9;
            int finished = done.get();
            double rate = elapsed > 0 ? finished / elapsed : 0;
            String eta = rate > 0 && finished < total ? String.format(" eta %.0fs", (total - finished) / rate) : "";
            long moved = bytesMoved.sum();
            String files = moved == 0 ? "" : String.format(", %.1f MiB moved", moved / 1048576.0);
            err.print(String.format("\r\u001b[K[%d/%d] ok %d, failed %d, %.0f hosts/s%s, %.1fs%s", finished, total,
                    finished - failed.get(), failed.get(), rate, files, elapsed, eta));
            err.flush();
        } finally {
            lock.unlock();
        }
    }

    private void clearProgress() {
        if (progress) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    /** Prints the end of the run: groups or JSON, and the summary line on stderr. */
    void finish(RunReport report, int skippedByResume) {
        end(RunSummary.of(report, skippedByResume), () -> {
            if (format == OutputFormat.JSON) {
                ResultsJson.writeDocument(out, report, skippedByResume);
                out.println();
            } else if (format == OutputFormat.JUNIT) {
                JUnitReport.write(out, command, report, started);
            } else if (group) {
                printGroups(report.groupedOutputs());
            }
        });
    }

    /**
     * Prints results read back from results files ({@code fanout merge}) as this printer prints a run that has
     * ended: in text mode each host's lines as the run printed them, host after host (a step's stdout, then its
     * stderr), or with {@code --group} the groups; or the JSON document of the records; then the summary line.
     *
     * @throws IllegalStateException for JUnit XML, which is written from a run's own results only
     */
    void finish(List<RecordedResult> results, RunSummary summary) {
        if (format == OutputFormat.JUNIT) {
            throw new IllegalStateException("no JUnit XML of results read back");
        }
        end(summary, () -> {
            if (format == OutputFormat.JSON) {
                ResultsJson.writeDocument(out, summary,
                        json -> results.forEach(result -> ResultsJson.recordAgain(json, result.json())));
                out.println();
            } else if (group) {
                printGroups(RecordedResult.groupedOutputs(results));
            } else {
                results.forEach(this::printLines);
            }
        });
    }

    /** Stops the progress line, prints {@code results} and the summary line on stderr. */
    private void end(RunSummary summary, Runnable results) {
        if (ticker != null) {
            ticker.shutdownNow();
        }
        lock.lock();
        try {
            clearProgress();
            results.run();
            out.flush();
            err.println(summaryLine(summary));
            err.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Each distinct output once, with its hosts folded. */
    private void printGroups(Map<String, List<Host>> groups) {
        for (Map.Entry<String, List<Host>> entry : groups.entrySet()) {
            out.println("---------------");
            out.println(foldedNames(entry.getValue()) + " (" + entry.getValue().size() + ")");
            out.println("---------------");
            if (entry.getKey().isEmpty()) {
                out.println("(no output)");
            }
            TerminalText.lines(entry.getKey()).forEach(out::println);
        }
    }

    /** The lines text mode prints of a host as it runs, all at once. */
    private void printLines(RecordedResult result) {
        String label = label(result.host());
        for (RecordedResult.Step step : result.steps()) {
            switch (step) {
                case RecordedResult.Exec exec -> {
                    TerminalText.lines(exec.stdout()).forEach(line -> out.println(label + ": " + line));
                    TerminalText.lines(exec.stderr()).forEach(line -> out.println(label + ": [stderr] " + line));
                    if (exec.truncated()) {
                        out.println(label + ": " + truncation(exec.stdoutBytes(), exec.stderrBytes()));
                    }
                }
                case RecordedResult.Transfer transfer -> out.println(label + ": "
                        + TerminalText.line(transferLine(transfer.upload(), transfer.transfer())));
                case RecordedResult.Tree tree -> treeLines(tree.upload(), tree.tree())
                        .forEach(line -> out.println(label + ": " + TerminalText.line(line)));
            }
        }
        if (result.status() != HostStatus.OK) {
            out.println(label + ": " + result.status().label().toUpperCase(Locale.ROOT) + ": "
                    + TerminalText.line(result.detail()));
        }
    }

    /** The summary line: {@code fanout: 30 hosts in 2.1s: 28 ok, 2 failed}, with what resume and duplicates left. */
    private static String summaryLine(RunSummary summary) {
        Map<HostStatus, Integer> counts = summary.counts();
        StringBuilder line = new StringBuilder(String.format("fanout: %d hosts in %.1fs: %d ok", summary.hosts(),
                summary.duration().toMillis() / 1000.0, counts.get(HostStatus.OK)));
        for (HostStatus status : List.of(HostStatus.FAILED, HostStatus.TIMED_OUT, HostStatus.CANCELLED,
                HostStatus.SKIPPED)) {
            if (counts.get(status) > 0) {
                line.append(", ").append(counts.get(status)).append(' ').append(status.label().replace('_', ' '));
            }
        }
        if (summary.skippedByResume() > 0) {
            line.append("; ").append(summary.skippedByResume()).append(" already ok in the resume file");
        }
        if (summary.duplicatesRemoved() > 0) {
            line.append("; ").append(summary.duplicatesRemoved()).append(" duplicate hosts merged");
        }
        return line.toString();
    }

    /** When the run started (when the printer was made, until the run starts). */
    Instant started() {
        return started;
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
