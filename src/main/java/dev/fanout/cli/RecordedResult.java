package dev.fanout.cli;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JsonParser;

/**
 * One host's result as a results file records it ({@link ResultRecords#readWhole}): what text output shows of it,
 * read from the record, and the record itself, which the JSON document of {@code fanout merge} holds as it was
 * read. The record is checked against the schema as far as text output reads it; a field of the wrong type is an
 * error naming the file, the line and the field.
 *
 * @param host the host
 * @param status how it ended
 * @param detail one line for people, empty when ok
 * @param steps the steps that ran, in order
 * @param total the host's time, from its start to its result
 * @param json the record as read
 * @param file the file it was read from; empty for a host without a record ({@link #withoutRecord})
 * @param line the line its record starts on, 0 for a host without a record
 */
record RecordedResult(Host host, HostStatus status, String detail, List<Step> steps, Duration total,
        Map<String, Object> json, Optional<Path> file, int line) {

    /** Copies the list; the record's JSON is kept as given. */
    RecordedResult {
        steps = List.copyOf(steps);
    }

    /** What a step did, as text output shows it. */
    sealed interface Step permits Exec, Transfer, Tree {
    }

    /**
     * A command.
     *
     * @param stdout its standard output as recorded
     * @param stderr its standard error as recorded
     * @param truncated whether output past the limit was dropped
     * @param stdoutBytes the bytes it wrote to stdout, kept or not
     * @param stderrBytes the bytes it wrote to stderr, kept or not
     */
    record Exec(String stdout, String stderr, boolean truncated, long stdoutBytes, long stderrBytes) implements Step {
    }

    /**
     * A file transfer.
     *
     * @param upload whether it was an upload (else a download)
     * @param transfer what it did
     */
    record Transfer(boolean upload, TransferResult transfer) implements Step {
    }

    /**
     * A directory tree transfer.
     *
     * @param upload whether it was an upload (else a download)
     * @param tree what it did
     */
    record Tree(boolean upload, TreeTransferResult tree) implements Step {
    }

    /**
     * The result that {@code record}, read with its JSON from {@code file}, records.
     *
     * @throws IllegalArgumentException naming the file, the line and the field, for a record that does not hold
     *     what the schema says
     */
    static RecordedResult of(ResultRecords.HostRecord record, Path file) {
        try {
            Fields fields = new Fields(record.json(), "");
            return new RecordedResult(record.host(), status(record.status()), fields.string("detail"),
                    fields.objects("steps").stream().map(RecordedResult::step).toList(),
                    Duration.ofMillis(fields.object("timings").count("totalMs")), record.json(), Optional.of(file),
                    record.line());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ":" + record.line() + ": not a host record: " + e.getMessage(),
                    e);
        }
    }

    /** A host that has no record, as a run reports a host it never started: skipped, {@code why}. */
    static RecordedResult withoutRecord(Host host, String why) {
        try (JsonParser parser = Json.parser(new StringReader(ResultsJson.hostLine(HostResult.skipped(host, why))))) {
            parser.nextToken();
            @SuppressWarnings("unchecked") // a host line is an object
            Map<String, Object> json = (Map<String, Object>) Json.value(parser);
            return new RecordedResult(host, HostStatus.SKIPPED, why, List.of(), Duration.ZERO, json, Optional.empty(),
                    0);
        }
    }

    /** {@code file:line} of the record, for messages. */
    String place() {
        return file.map(path -> path + ":" + line).orElse("(no record)");
    }

    /**
     * What the host printed, as {@link HostResult#output()} has it: every command's stdout then stderr, and for a
     * host that did not end ok, its status and detail.
     */
    String output() {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            if (step instanceof Exec exec) {
                text.append(exec.stdout()).append(exec.stderr());
            }
        }
        if (status != HostStatus.OK) {
            text.append(status.label()).append(": ").append(detail).append('\n');
        }
        return text.toString();
    }

    /** Identical outputs grouped, as {@link dev.fanout.RunReport#groupedOutputs()} groups a run's. */
    static Map<String, List<Host>> groupedOutputs(List<RecordedResult> results) {
        Map<String, List<Host>> groups = new LinkedHashMap<>();
        for (RecordedResult result : results) {
            groups.computeIfAbsent(result.output(), key -> new ArrayList<>()).add(result.host());
        }
        groups.replaceAll((output, hosts) -> List.copyOf(hosts));
        return groups;
    }

    private static HostStatus status(String label) {
        for (HostStatus status : HostStatus.values()) {
            if (status.label().equals(label)) {
                return status;
            }
        }
        throw new IllegalArgumentException("\"status\" is '" + label + "', none of this schema's");
    }

    private static Step step(Fields step) {
        String type = step.string("type");
        return switch (type) {
            case "exec" -> new Exec(step.string("stdout"), step.string("stderr"), step.bool("truncated"),
                    step.count("stdoutBytes"), step.count("stderrBytes"));
            case "upload", "download" -> step.has("tree")
                    ? new Tree(type.equals("upload"), tree(step, step.object("tree")))
                    : new Transfer(type.equals("upload"), transfer(step));
            default -> throw new IllegalArgumentException(step.name("type") + " is '" + type + "', none of this "
                    + "schema's");
        };
    }

    private static TransferResult transfer(Fields step) {
        return new TransferResult(step.string("remotePath"), step.string("localPath"), step.count("bytes"),
                Duration.ofMillis(step.count("durationMs")), step.has("sha256") ? Optional.of(step.string("sha256"))
                        : Optional.empty(),
                method(step));
    }

    private static TreeTransferResult tree(Fields step, Fields tree) {
        List<TreeTransferResult.Skipped> skipped = tree.objects("skipped").stream()
                .map(entry -> new TreeTransferResult.Skipped(entry.string("path"), entry.string("kind"))).toList();
        return new TreeTransferResult(step.string("remotePath"), step.string("localPath"),
                tree.objects("files").stream().map(RecordedResult::transfer).toList(), skipped, method(step),
                Duration.ofMillis(step.count("durationMs")), tree.bool("complete"));
    }

    /** The transfer's method; records written before there was one went over SFTP. */
    private static TransferResult.Method method(Fields step) {
        if (!step.has("method")) {
            return TransferResult.Method.SFTP;
        }
        String label = step.string("method");
        for (TransferResult.Method method : TransferResult.Method.values()) {
            if (method.label().equals(label)) {
                return method;
            }
        }
        throw new IllegalArgumentException(step.name("method") + " is '" + label + "', none of this schema's");
    }

    /** The fields of one JSON object of a record, read by type; an error names the field by its path. */
    private record Fields(Map<?, ?> object, String path) {

        /** {@code steps[2].stdout}, for messages. */
        String name(String field) {
            return "\"" + path + field + "\"";
        }

        /** Whether the field is there and not null. */
        boolean has(String field) {
            return object.get(field) != null;
        }

        String string(String field) {
            return typed(field, String.class, "a string");
        }

        boolean bool(String field) {
            return typed(field, Boolean.class, "true or false");
        }

        /** A whole number of at least 0. */
        long count(String field) {
            Object value = object.get(field);
            if ((value instanceof Integer || value instanceof Long) && ((Number) value).longValue() >= 0) {
                return ((Number) value).longValue();
            }
            throw wrong(field, "a count");
        }

        Fields object(String field) {
            return new Fields(typed(field, Map.class, "an object"), path + field + ".");
        }

        List<Fields> objects(String field) {
            List<?> list = typed(field, List.class, "an array");
            List<Fields> objects = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!(list.get(i) instanceof Map<?, ?> element)) {
                    throw wrong(field + "[" + i + "]", "an object");
                }
                objects.add(new Fields(element, path + field + "[" + i + "]."));
            }
            return objects;
        }

        private <T> T typed(String field, Class<T> type, String what) {
            Object value = object.get(field);
            if (!type.isInstance(value)) {
                throw wrong(field, what);
            }
            return type.cast(value);
        }

        private IllegalArgumentException wrong(String field, String what) {
            return new IllegalArgumentException(name(field) + (object.containsKey(field) ? " is not " + what
                    : " is missing"));
        }
    }
}
