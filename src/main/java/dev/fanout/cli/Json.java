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
import java.util.Map;

/**
 * Writes fanout's results as JSON: one object per host (the JSON Lines of {@code --out}) and the whole document of
 * {@code --format json}. The schema is in the README; text is UTF-8 with invalid bytes replaced.
 */
final class Json {

    private Json() {
    }

    /** One host's result as a single-line JSON object. */
    static String host(HostResult result) {
        StringBuilder json = new StringBuilder(256);
        json.append("{\"host\":").append(string(result.host().address()))
                .append(",\"port\":").append(result.host().port())
                .append(",\"user\":").append(string(result.host().user()))
                .append(",\"status\":").append(string(result.status().label()))
                .append(",\"detail\":").append(string(result.detail()))
                .append(",\"error\":");
        if (result.error().isPresent()) {
            FanoutException error = result.error().get();
            json.append("{\"type\":").append(string(error.kind()))
                    .append(",\"phase\":").append(string(error.phase().label()))
                    .append(",\"message\":").append(string(error.getMessage()))
                    .append(",\"retryable\":").append(error.retryable());
            if (error instanceof TransferFailedException transfer) {
                json.append(",\"reason\":").append(string(transfer.reason().label()));
            }
            json.append('}');
        } else {
            json.append("null");
        }
        json.append(",\"steps\":[");
        for (int i = 0; i < result.steps().size(); i++) {
            json.append(i == 0 ? "" : ",").append(step(result.steps().get(i)));
        }
        json.append("],\"timings\":{\"connectMs\":").append(result.timings().connect().toMillis())
                .append(",\"authMs\":").append(result.timings().auth().toMillis())
                .append(",\"totalMs\":").append(result.timings().total().toMillis())
                .append("},\"attempts\":").append(result.attempts()).append('}');
        return json.toString();
    }

    private static String step(StepResult step) {
        return switch (step) {
            case StepResult.Executed executed -> exec(executed.exec());
            case StepResult.Transferred transferred -> transfer(
                    transferred.step() instanceof Step.Upload ? "upload" : "download", transferred.transfer());
            case StepResult.TreeTransferred tree -> tree(tree);
        };
    }

    private static String tree(StepResult.TreeTransferred step) {
        TreeTransferResult tree = step.tree();
        String fileType = step.step() instanceof Step.UploadTree ? "upload" : "download";
        StringBuilder json = new StringBuilder(256).append("{\"type\":").append(string(fileType + "-tree"))
                .append(",\"remotePath\":").append(string(tree.remotePath()))
                .append(",\"localPath\":").append(string(tree.localPath()))
                .append(",\"complete\":").append(tree.complete())
                .append(",\"method\":").append(string(tree.method().label()))
                .append(",\"bytes\":").append(tree.bytes())
                .append(",\"files\":[");
        for (int i = 0; i < tree.files().size(); i++) {
            json.append(i == 0 ? "" : ",").append(transfer(fileType, tree.files().get(i)));
        }
        json.append("],\"skipped\":[");
        for (int i = 0; i < tree.skipped().size(); i++) {
            TreeTransferResult.Skipped skipped = tree.skipped().get(i);
            json.append(i == 0 ? "" : ",").append("{\"path\":").append(string(skipped.path()))
                    .append(",\"kind\":").append(string(skipped.kind())).append('}');
        }
        return json.append("],\"durationMs\":").append(tree.duration().toMillis()).append('}').toString();
    }

    private static String transfer(String type, TransferResult transfer) {
        return "{\"type\":" + string(type)
                + ",\"remotePath\":" + string(transfer.remotePath())
                + ",\"localPath\":" + string(transfer.localPath())
                + ",\"bytes\":" + transfer.bytes()
                + ",\"sha256\":" + transfer.sha256().map(Json::string).orElse("null")
                + ",\"method\":" + string(transfer.method().label())
                + ",\"durationMs\":" + transfer.duration().toMillis() + '}';
    }

    private static String exec(ExecResult exec) {
        String exitCode = exec.exitStatus() instanceof ExitStatus.Exited exited ? Integer.toString(exited.code())
                : "null";
        String signal = exec.exitStatus() instanceof ExitStatus.Signaled signaled ? string(signaled.signal())
                : "null";
        return "{\"type\":\"exec\",\"command\":" + string(exec.command())
                + ",\"exitCode\":" + exitCode
                + ",\"exitSignal\":" + signal
                + ",\"stdout\":" + string(exec.stdout().text())
                + ",\"stderr\":" + string(exec.stderr().text())
                + ",\"truncated\":" + exec.truncated()
                + ",\"stdoutBytes\":" + exec.stdout().totalBytes()
                + ",\"stderrBytes\":" + exec.stderr().totalBytes()
                + ",\"durationMs\":" + exec.duration().toMillis() + '}';
    }

    /** The whole run: a summary and every host, in input order. */
    static String report(RunReport report, int skippedByResume) {
        StringBuilder json = new StringBuilder("{\"summary\":{");
        Map<HostStatus, Integer> summary = report.summary();
        json.append("\"hosts\":").append(report.results().size());
        summary.forEach((status, count) -> json.append(",\"").append(status.label()).append("\":").append(count));
        json.append(",\"duplicatesRemoved\":").append(report.duplicatesRemoved())
                .append(",\"skippedByResume\":").append(skippedByResume)
                .append(",\"durationMs\":").append(report.duration().toMillis()).append("},\"hosts\":[");
        for (int i = 0; i < report.results().size(); i++) {
            json.append(i == 0 ? "\n" : ",\n").append(host(report.results().get(i)));
        }
        return json.append("\n]}").toString();
    }

    /** A JSON string literal. */
    static String string(String text) {
        StringBuilder json = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) { // DEL and C1 too: the JSON is safe to cat
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
