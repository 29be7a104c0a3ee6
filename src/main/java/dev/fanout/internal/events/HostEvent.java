package dev.fanout.internal.events;

import dev.fanout.ExecResult;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.StepResult;
import dev.fanout.error.FanoutException;
import java.util.stream.Stream;
import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

/**
 * JFR event {@code dev.fanout.Host}: one host of a run, from its start to its result (a host skipped before its turn
 * has an event of no duration). Begun by {@link #begin}, committed by {@link #end}, once.
 */
@Name("dev.fanout.Host")
@Label("Host")
@Category({"fanout", "Run"})
@Description("One host of a run, from its start to its result")
@StackTrace(false)
public final class HostEvent extends Event {

    @Label("Host")
    @Description("user@address:port")
    String host;

    @Label("Driver")
    String driver;

    @Label("Status")
    @Description("ok, failed, timed_out, cancelled or skipped")
    String status;

    @Label("Phase")
    @Description("done when it got through, else where it failed (connect, auth, exec, ...); empty when stopped")
    String phase;

    @Label("Outcome")
    @Description("ok, the failure's kind (e.g. auth_failed), exit N for a failed command, else the status")
    String outcome;

    @Label("Attempts")
    @Description("Connection attempts, retries included")
    int attempts;

    @Label("Connect")
    @Description("TCP connect, key exchange and host key check (0 for a pooled session)")
    @Timespan(Timespan.NANOSECONDS)
    long connect;

    @Label("Auth")
    @Description("User authentication (0 for a pooled session)")
    @Timespan(Timespan.NANOSECONDS)
    long auth;

    private HostEvent() {
    }

    /** Begins the event of {@code host}. */
    public static HostEvent begin(Host host, String driver) {
        HostEvent event = new HostEvent();
        event.begin();
        event.host = host.toString();
        event.driver = driver;
        return event;
    }

    /** Commits the event with the host's result. */
    public void end(HostResult result) {
        status = result.status().label();
        attempts = result.attempts();
        connect = result.timings().connect().toNanos();
        auth = result.timings().auth().toNanos();
        FanoutException error = result.error().orElse(null);
        ExecResult failedCommand = result.steps().stream()
                .flatMap(step -> step instanceof StepResult.Executed executed ? Stream.of(executed.exec())
                        : Stream.empty())
                .filter(exec -> !exec.isSuccess()).findFirst().orElse(null);
        if (error != null) {
            phase = error.phase().label();
            outcome = error.kind();
        } else if (result.ok()) {
            phase = "done";
            outcome = Outcomes.OK;
        } else if (result.status() == HostStatus.FAILED && failedCommand != null) {
            phase = "exec";
            outcome = StepEvent.outcome(failedCommand.exitStatus());
        } else {
            phase = "";
            outcome = status;
        }
        commit();
    }
}
