package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.Command;
import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.HostTimings;
import dev.fanout.Output;
import dev.fanout.RunReport;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.TransferResult;
import dev.fanout.TreeTransferResult;
import dev.fanout.UploadSource;
import dev.fanout.error.TransferFailedException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The JSON fanout writes, byte for byte: the fields, their order and escapes of the results as documented in
 * docs/cli.md (and as fanout wrote them before version 1, which added {@code schemaVersion}).
 */
class ResultsJsonTest {

    private static final Host HOST = new Host("10.0.0.5", 2222, "root");

    private static HostResult failedUpload() {
        byte[] stdout = "a\b\f\t\n\u001b[1m\u007f\u0085 \"q\" \\ \u00e9\ud83d\ude00".getBytes(StandardCharsets.UTF_8);
        ExecResult exec = new ExecResult("echo", ExitStatus.exited(0), Output.of(stdout, 4000),
                Output.of(new byte[] {(byte) 0xff, 'x'}, 2), Duration.ofMillis(12));
        ExecResult killed = new ExecResult("sleep 9", new ExitStatus.Signaled("TERM"), Output.of(new byte[0], 0),
                Output.of(new byte[0], 0), Duration.ofMillis(3));
        TransferResult uploaded = new TransferResult("/opt/a.sh", "a.sh", 5, Duration.ofMillis(7),
                Optional.of("ab".repeat(32)), TransferResult.Method.SFTP);
        TransferResult downloaded = new TransferResult("/var/log/x", "logs/x", 9, Duration.ofMillis(8),
                Optional.empty(), TransferResult.Method.EXEC);
        TransferFailedException full = new TransferFailedException(HOST.toString(), "mina",
                TransferFailedException.Reason.NO_SPACE, "/opt/b.tgz", "disk full", null);
        return new HostResult(HOST, HostStatus.FAILED, Optional.of(full), full.getMessage(), List.of(
                new StepResult.Executed(new Step.Exec(Command.of("echo")), exec),
                new StepResult.Executed(new Step.Exec(Command.of("sleep 9")), killed),
                new StepResult.Transferred(Step.upload(UploadSource.bytes("a.sh", new byte[5]), "/opt/a.sh"), uploaded),
                new StepResult.Transferred(Step.download("/var/log/x", Path.of("logs/x")), downloaded)),
                new HostTimings(Duration.ofMillis(20), Duration.ofMillis(30), Duration.ofMillis(95)), 2, List.of());
    }

    @Test
    void writesAHostRecordWithEveryKindOfField() {
        assertEquals("{\"schemaVersion\":1,\"host\":\"10.0.0.5\",\"port\":2222,\"user\":\"root\",\"status\":\"failed\","
                + "\"detail\":\"root@10.0.0.5:2222: transfer failed (no_space): /opt/b.tgz: disk full [transfer, mina]\","
                + "\"error\":{\"type\":\"transfer_failed\",\"phase\":\"transfer\",\"message\":\"root@10.0.0.5:2222: "
                + "transfer failed (no_space): /opt/b.tgz: disk full [transfer, mina]\",\"retryable\":false,"
                + "\"reason\":\"no_space\"},\"steps\":[{\"type\":\"exec\",\"command\":\"echo\",\"exitCode\":0,"
                + "\"exitSignal\":null,\"stdout\":\"a\\u0008\\u000c\\t\\n\\u001b[1m\\u007f\\u0085 \\\"q\\\" \\\\ "
                + "\u00e9\ud83d\ude00\",\"stderr\":\"\ufffdx\",\"truncated\":true,\"stdoutBytes\":4000,"
                + "\"stderrBytes\":2,\"durationMs\":12},{\"type\":\"exec\",\"command\":\"sleep 9\",\"exitCode\":null,"
                + "\"exitSignal\":\"TERM\",\"stdout\":\"\",\"stderr\":\"\",\"truncated\":false,\"stdoutBytes\":0,"
                + "\"stderrBytes\":0,\"durationMs\":3},{\"type\":\"upload\",\"remotePath\":\"/opt/a.sh\","
                + "\"localPath\":\"a.sh\",\"bytes\":5,\"sha256\":\"" + "ab".repeat(32) + "\",\"method\":\"sftp\","
                + "\"durationMs\":7},{\"type\":\"download\",\"remotePath\":\"/var/log/x\",\"localPath\":\"logs/x\","
                + "\"bytes\":9,\"sha256\":null,\"method\":\"exec\",\"durationMs\":8}],"
                + "\"timings\":{\"connectMs\":20,\"authMs\":30,\"totalMs\":95},\"attempts\":2}",
                ResultsJson.hostLine(failedUpload()));
    }

    /** A tree is a transfer step from root to root, its files and what it skipped in its added {@code tree}. */
    @Test
    void writesATreeAsATransferStepWithItsFiles() {
        TransferResult file = new TransferResult("/etc/app/conf/a", "conf/a", 3, Duration.ofMillis(4),
                Optional.empty(), TransferResult.Method.EXEC);
        TreeTransferResult tree = new TreeTransferResult("/etc/app/conf", "conf", List.of(file, file),
                List.of(new TreeTransferResult.Skipped("current", "a symbolic link")), TransferResult.Method.EXEC,
                Duration.ofMillis(9), false);
        HostResult result = new HostResult(HOST, HostStatus.OK, Optional.empty(), "", List.of(
                new StepResult.TreeTransferred(Step.uploadTree(Path.of("."), "/etc/app/conf"), tree)),
                new HostTimings(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(3)), 1, List.of());
        String fileJson = "{\"type\":\"upload\",\"remotePath\":\"/etc/app/conf/a\",\"localPath\":\"conf/a\","
                + "\"bytes\":3,\"sha256\":null,\"method\":\"exec\",\"durationMs\":4}";
        assertEquals("{\"schemaVersion\":1,\"host\":\"10.0.0.5\",\"port\":2222,\"user\":\"root\",\"status\":\"ok\","
                + "\"detail\":\"\",\"error\":null,\"steps\":[{\"type\":\"upload\",\"remotePath\":\"/etc/app/conf\","
                + "\"localPath\":\"conf\",\"bytes\":6,\"sha256\":null,\"method\":\"exec\",\"durationMs\":9,"
                + "\"tree\":{\"complete\":false,\"files\":[" + fileJson + "," + fileJson + "],\"skipped\":[{\"path\":"
                + "\"current\",\"kind\":\"a symbolic link\"}]}}],\"timings\":{\"connectMs\":1,\"authMs\":2,"
                + "\"totalMs\":3},\"attempts\":1}", ResultsJson.hostLine(result));
    }

    /** The document: its version, the summary, then one host a line, as {@code --format json} has printed it. */
    @Test
    void writesTheDocumentWithOneHostALine() {
        HostResult skipped = HostResult.skipped(new Host("web1", 22, "deploy"), "not started: interrupted");
        StringWriter two = new StringWriter();
        ResultsJson.writeDocument(two, new RunReport(List.of(failedUpload(), skipped), 1, Duration.ofMillis(900)), 3);
        assertEquals(List.of("{\"schemaVersion\":1,\"summary\":{\"hosts\":2,\"ok\":0,\"failed\":1,\"timed_out\":0,"
                + "\"cancelled\":0,\"skipped\":1,\"duplicatesRemoved\":1,\"skippedByResume\":3,\"durationMs\":900},"
                + "\"hosts\":[", ResultsJson.hostLine(failedUpload()) + ",", ResultsJson.hostLine(skipped), "]}"),
                two.toString().lines().toList());

        StringWriter none = new StringWriter();
        ResultsJson.writeDocument(none, new RunReport(List.of(), 0, Duration.ZERO), 0);
        assertEquals("{\"schemaVersion\":1,\"summary\":{\"hosts\":0,\"ok\":0,\"failed\":0,\"timed_out\":0,"
                + "\"cancelled\":0,\"skipped\":0,\"duplicatesRemoved\":0,\"skippedByResume\":0,\"durationMs\":0},"
                + "\"hosts\":[\n]}", none.toString());
    }
}
