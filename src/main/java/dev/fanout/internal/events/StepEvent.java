package dev.fanout.internal.events;

import dev.fanout.ExecResult;
import dev.fanout.ExitStatus;
import dev.fanout.Host;
import dev.fanout.Step;
import dev.fanout.StepResult;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * JFR event {@code dev.fanout.Step}: one step of a host's task, a command or a transfer, from its start to its result
 * or failure. Begun by {@link #begin}, committed by {@link #end} or {@link #failed}, each once.
 */
@Name("dev.fanout.Step")
@Label("Step")
@Category({"fanout", "Run"})
@Description("One step of a host's task: a command, an upload or a download")
@StackTrace(false)
public final class StepEvent extends Event {

    @Label("Host")
    @Description("user@address:port")
    String host;

    @Label("Driver")
    String driver;

    @Label("Phase")
    @Description("exec, upload or download; for a failure, where it failed (channel, exec, transfer)")
    String phase;

    @Label("Step")
    @Description("The command line, or the transfer's paths")
    String step;

    @Label("Outcome")
    @Description("ok, exit N, signal NAME, timed_out, cancelled, or the failure's kind")
    String outcome;

    @Label("Output")
    @Description("Bytes of stdout and stderr a command wrote, or bytes a transfer moved")
    @DataAmount
    long bytes;

    private StepEvent() {
    }

    /** Begins the event of {@code step} on {@code host}. */
    public static StepEvent begin(Host host, String driver, Step step) {
        StepEvent event = new StepEvent();
        event.begin();
        event.host = host.toString();
        event.driver = driver;
        event.step = step.describe();
        event.phase = switch (step) {
            case Step.Exec exec -> "exec";
            case Step.Script script -> "exec";
            case Step.Upload upload -> "upload";
            case Step.UploadTree tree -> "upload";
            case Step.Download download -> "download";
            case Step.DownloadTree tree -> "download";
        };
        return event;
    }

    /** Commits the event of a step that has its result (for a timed-out command, its output until then). */
    public void end(StepResult result, boolean timedOut) {
        switch (result) {
            case StepResult.Executed executed -> {
                ExecResult exec = executed.exec();
                outcome = timedOut ? "timed_out" : outcome(exec.exitStatus());
                bytes = exec.stdout().totalBytes() + exec.stderr().totalBytes();
            }
            case StepResult.Transferred transferred -> {
                outcome = Outcomes.OK;
                bytes = transferred.transfer().bytes();
            }
            case StepResult.TreeTransferred tree -> {
                // A tree that stopped at a failure is recorded before the failure ends the host: its outcome says so.
                outcome = tree.tree().complete() ? Outcomes.OK : "stopped";
                bytes = tree.tree().bytes();
            }
        }
        commit();
    }

    /** Commits the event of a step that ended without a result, by {@code failure}. */
    public void failed(Throwable failure) {
        outcome = Outcomes.of(failure);
        phase = Outcomes.phase(failure, phase);
        commit();
    }

    /** Commits the event of a step that was stopped without a result or a failure of its own (cancelled, say). */
    public void stopped(String why) {
        outcome = why;
        commit();
    }

    /** {@code ok} for exit 0, else {@code exit N}, {@code signal NAME} or {@code unknown}. */
    static String outcome(ExitStatus status) {
        return switch (status) {
            case ExitStatus.Exited exited -> exited.code() == 0 ? Outcomes.OK : "exit " + exited.code();
            case ExitStatus.Signaled signaled -> "signal " + signaled.signal();
            case ExitStatus.Unknown unknown -> "unknown";
        };
    }
}
