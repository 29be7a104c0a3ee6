package dev.fanout.micrometer;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostTimings;
import dev.fanout.RunListener;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.error.FanoutException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * Micrometer meters for every run of a client, as a {@link RunListener} to give to
 * {@link dev.fanout.Fanout.Builder#eventListener}:
 *
 * <pre>{@code
 * Fanout fanout = Fanout.builder().credentials(credentials)
 *         .eventListener(new FanoutMetrics(registry, Tags.of("service", "agent-installer")))
 *         .build();
 * }</pre>
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 * <tr><td>{@code fanout.phase}</td><td>timer</td><td>{@code phase}: connect, auth, exec, upload, download,
 * host</td><td>the TCP connect, key exchange and host key check of each new session; its authentication; each
 * command or transfer that has a result (a timed-out command included); each host from its start to its
 * result</td></tr>
 * <tr><td>{@code fanout.hosts}</td><td>counter</td><td>{@code status}: ok, failed, timed_out, cancelled,
 * skipped</td><td>hosts by how they ended</td></tr>
 * <tr><td>{@code fanout.errors}</td><td>counter</td><td>{@code type}: the failure's kind ({@code auth_failed},
 * {@code connect_timeout}, ...); {@code phase}: where it happened</td><td>hosts that ended by a failure</td></tr>
 * <tr><td>{@code fanout.retries}</td><td>counter</td><td>{@code type}, {@code phase}</td><td>failures that were
 * retried</td></tr>
 * </table>
 *
 * <p>Each meter also has the tags given to the constructor. Only the calls that carry results are used
 * ({@link #stepFinished}, {@link #hostFinished}), so it never asks for output. Thread-safe.
 */
public final class FanoutMetrics implements RunListener {

    private final MeterRegistry registry;
    private final Tags tags;

    /** Meters in {@code registry}, with no tags of their own. */
    public FanoutMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /** Meters in {@code registry}, each with {@code tags} besides its own (a service's name, say). */
    public FanoutMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void stepFinished(Host host, StepResult result) {
        switch (result) {
            case StepResult.Executed executed -> time("exec", executed.exec().duration());
            case StepResult.Transferred transferred -> time(
                    transferred.step() instanceof Step.Upload ? "upload" : "download",
                    transferred.transfer().duration());
            case StepResult.TreeTransferred tree -> time(
                    tree.step() instanceof Step.UploadTree ? "upload" : "download", tree.tree().duration());
        }
    }

    @Override
    public void hostFinished(HostResult result) {
        HostTimings timings = result.timings();
        if (!timings.connect().isZero() || !timings.auth().isZero()) {
            time("connect", timings.connect());
            time("auth", timings.auth());
        }
        time("host", timings.total());
        Counter.builder("fanout.hosts").description("Hosts by how they ended").tags(tags)
                .tag("status", result.status().label()).register(registry).increment();
        result.error().ifPresent(error -> count("fanout.errors", "Hosts that ended by a failure", error));
        result.retried().forEach(error -> count("fanout.retries", "Failures that were retried", error));
    }

    private void time(String phase, Duration duration) {
        Timer.builder("fanout.phase").description("Time spent per phase: connect, auth, exec, upload, download, host")
                .tags(tags).tag("phase", phase).register(registry).record(duration);
    }

    private void count(String name, String description, FanoutException error) {
        Counter.builder(name).description(description).tags(tags).tag("type", error.kind())
                .tag("phase", error.phase().label()).register(registry).increment();
    }

}
