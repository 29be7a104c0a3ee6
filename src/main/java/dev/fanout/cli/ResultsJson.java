package dev.fanout.cli;

import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunReport;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.error.FanoutException;
import dev.fanout.error.TransferFailedException;
import java.io.StringWriter;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.util.MinimalPrettyPrinter;

/**
 * Writes fanout's results as JSON, schema version {@value #SCHEMA_VERSION}: one object per host (a line of
 * {@code --out}) and the whole run (the document of {@code --format json}), each with its {@code schemaVersion}.
 * The schema is {@code results.schema.json} beside this class; docs/cli.md says what may change within a version.
 * Text is UTF-8 as the hosts sent it, invalid bytes replaced; control characters are escaped ({@link Json}).
 */
final class ResultsJson {

    /** The version of the results schema this release writes, and the newest it reads. */
    static final int SCHEMA_VERSION = 1;

    /** The document with one host per line, as {@code --format json} has always printed it. */
    private static final ObjectWriteContext HOST_PER_LINE = new ObjectWriteContext.Base() {
        @Override
        public PrettyPrinter getPrettyPrinter() {
            return new HostPerLine();
        }

        @Override
        public boolean hasPrettyPrinter() {
            return true;
        }
    };

    private ResultsJson() {
    }

    /** One host's result as a single line of JSON, without the newline. */
    static String hostLine(HostResult result) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = Json.generator(line)) {
            host(json, result);
        }
        return line.toString();
    }

    /** The whole run: the schema version, a summary and every host in input order, one host a line. */
    static void writeDocument(Writer out, RunReport report, int skippedByResume) {
        writeDocument(out, RunSummary.of(report, skippedByResume), json -> {
            for (HostResult result : report.results()) {
                host(json, result);
            }
        });
    }

    /**
     * A document of {@code summary}: the schema version, the summary and the hosts that {@code hosts} writes into
     * the array, one host a line.
     */
    static void writeDocument(Writer out, RunSummary summary, Consumer<JsonGenerator> hosts) {
        try (JsonGenerator json = Json.generator(HOST_PER_LINE, out)) {
            json.writeStartObject();
            json.writeNumberProperty("schemaVersion", SCHEMA_VERSION);
            json.writeObjectPropertyStart("summary");
            json.writeNumberProperty("hosts", summary.hosts());
            for (Map.Entry<HostStatus, Integer> count : summary.counts().entrySet()) {
                json.writeNumberProperty(count.getKey().label(), count.getValue());
            }
            json.writeNumberProperty("duplicatesRemoved", summary.duplicatesRemoved());
            json.writeNumberProperty("skippedByResume", summary.skippedByResume());
            json.writeNumberProperty("durationMs", summary.duration().toMillis());
            json.writeEndObject();
            json.writeArrayPropertyStart("hosts");
            hosts.accept(json);
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    /**
     * A host record that was read back ({@link ResultRecords#readWhole}), written as it was read but for its
     * {@code schemaVersion}, written first as this release's: records of older versions have the same fields.
     */
    static void recordAgain(JsonGenerator json, Map<String, Object> record) {
        Map<String, Object> again = new LinkedHashMap<>();
        again.put("schemaVersion", SCHEMA_VERSION);
        record.forEach((name, value) -> {
            if (!name.equals("schemaVersion")) {
                again.put(name, value);
            }
        });
        Json.write(json, again);
    }

    private static void host(JsonGenerator json, HostResult result) {
        json.writeStartObject();
        json.writeNumberProperty("schemaVersion", SCHEMA_VERSION);
        json.writeStringProperty("host", result.host().address());
        json.writeNumberProperty("port", result.host().port());
        json.writeStringProperty("user", result.host().user());
        json.writeStringProperty("status", result.status().label());
        json.writeStringProperty("detail", result.detail());
        if (result.error().isPresent()) {
            error(json, result.error().get());
        } else {
            json.writeNullProperty("error");
        }
        json.writeArrayPropertyStart("steps");
        for (StepResult step : result.steps()) {
            switch (step) {
                case StepResult.Executed executed -> exec(json, executed.exec());
                case StepResult.Transferred transferred -> transfer(json,
                        transferred.step() instanceof Step.Upload ? "upload" : "download", transferred.transfer());
                case StepResult.TreeTransferred tree -> tree(json, tree);
            }
        }
        json.writeEndArray();
        json.writeObjectPropertyStart("timings");
        json.writeNumberProperty("connectMs", result.timings().connect().toMillis());
        json.writeNumberProperty("authMs", result.timings().auth().toMillis());
        json.writeNumberProperty("totalMs", result.timings().total().toMillis());
        json.writeEndObject();
        json.writeNumberProperty("attempts", result.attempts());
        json.writeEndObject();
    }

    private static void error(JsonGenerator json, FanoutException error) {
        json.writeObjectPropertyStart("error");
        json.writeStringProperty("type", error.kind());
        json.writeStringProperty("phase", error.phase().label());
        json.writeStringProperty("message", error.getMessage());
        json.writeBooleanProperty("retryable", error.retryable());
        if (error instanceof TransferFailedException transfer) {
            json.writeStringProperty("reason", transfer.reason().label());
        }
        json.writeEndObject();
    }

    private static void exec(JsonGenerator json, ExecResult exec) {
        json.writeStartObject();
        json.writeStringProperty("type", "exec");
        json.writeStringProperty("command", exec.command());
        if (exec.exitStatus() instanceof ExitStatus.Exited exited) {
            json.writeNumberProperty("exitCode", exited.code());
        } else {
            json.writeNullProperty("exitCode");
        }
        if (exec.exitStatus() instanceof ExitStatus.Signaled signaled) {
            json.writeStringProperty("exitSignal", signaled.signal());
        } else {
            json.writeNullProperty("exitSignal");
        }
        json.writeStringProperty("stdout", exec.stdout().text());
        json.writeStringProperty("stderr", exec.stderr().text());
        json.writeBooleanProperty("truncated", exec.truncated());
        json.writeNumberProperty("stdoutBytes", exec.stdout().totalBytes());
        json.writeNumberProperty("stderrBytes", exec.stderr().totalBytes());
        json.writeNumberProperty("durationMs", exec.duration().toMillis());
        json.writeEndObject();
    }

    private static void transfer(JsonGenerator json, String type, TransferResult transfer) {
        json.writeStartObject();
        json.writeStringProperty("type", type);
        json.writeStringProperty("remotePath", transfer.remotePath());
        json.writeStringProperty("localPath", transfer.localPath());
        json.writeNumberProperty("bytes", transfer.bytes());
        if (transfer.sha256().isPresent()) {
            json.writeStringProperty("sha256", transfer.sha256().get());
        } else {
            json.writeNullProperty("sha256");
        }
        json.writeStringProperty("method", transfer.method().label());
        json.writeNumberProperty("durationMs", transfer.duration().toMillis());
        json.writeEndObject();
    }

    /**
     * A tree as a transfer step of version 1 (an upload or download from root to root, its bytes in all, no SHA-256)
     * with one field added, {@code tree}: whether it is complete, each file done as a transfer step, and what was
     * skipped.
     */
    private static void tree(JsonGenerator json, StepResult.TreeTransferred step) {
        TreeTransferResult tree = step.tree();
        String type = step.step() instanceof Step.UploadTree ? "upload" : "download";
        json.writeStartObject();
        json.writeStringProperty("type", type);
        json.writeStringProperty("remotePath", tree.remotePath());
        json.writeStringProperty("localPath", tree.localPath());
        json.writeNumberProperty("bytes", tree.bytes());
        json.writeNullProperty("sha256");
        json.writeStringProperty("method", tree.method().label());
        json.writeNumberProperty("durationMs", tree.duration().toMillis());
        json.writeObjectPropertyStart("tree");
        json.writeBooleanProperty("complete", tree.complete());
        json.writeArrayPropertyStart("files");
        for (TransferResult file : tree.files()) {
            transfer(json, type, file);
        }
        json.writeEndArray();
        json.writeArrayPropertyStart("skipped");
        for (TreeTransferResult.Skipped skipped : tree.skipped()) {
            json.writeStartObject();
            json.writeStringProperty("path", skipped.path());
            json.writeStringProperty("kind", skipped.kind());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
        json.writeEndObject();
    }

    /**
     * No spaces, and each element of the document's {@code hosts} array on a line of its own, so that the hosts of a
     * document can be read with {@code grep} and a line-oriented tool.
     */
    private static final class HostPerLine extends MinimalPrettyPrinter {

        private static final long serialVersionUID = 1L;

        /** Whether the generator is in the array at depth 2, {@code hosts}: root, document, array. */
        private static boolean inHosts(JsonGenerator json) {
            return json.streamWriteContext().inArray() && json.streamWriteContext().getNestingDepth() == 2;
        }

        @Override
        public void beforeArrayValues(JsonGenerator json) {
            if (inHosts(json)) {
                json.writeRaw('\n');
            }
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator json) {
            super.writeArrayValueSeparator(json);
            if (inHosts(json)) {
                json.writeRaw('\n');
            }
        }

        @Override
        public void writeEndArray(JsonGenerator json, int values) {
            if (inHosts(json)) {
                json.writeRaw('\n');
            }
            super.writeEndArray(json, values);
        }
    }
}
