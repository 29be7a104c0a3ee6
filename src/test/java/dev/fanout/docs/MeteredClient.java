package dev.fanout.docs;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.micrometer.FanoutMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A service's client whose every run is measured in the service's Micrometer registry. */
public final class MeteredClient {

    private MeteredClient() {
    }

    /** A client whose runs' phases are timed, and hosts and failures counted, tagged with the service's name. */
    public static Fanout build(MeterRegistry registry, Credentials credentials, Path knownHosts) {
        return Fanout.builder()
                .credentials(credentials)
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts))
                .eventListener(new FanoutMetrics(registry, Tags.of("service", "agent-installer")))
                .build();
    }

    /** What a dashboard shows: hosts ok, logins refused, and the mean time of a connect. */
    public static String dashboard(MeterRegistry registry) {
        Counter ok = registry.find("fanout.hosts").tag("status", "ok").counter();
        double refused = registry.find("fanout.errors").tag("type", "auth_failed").counters().stream()
                .mapToDouble(Counter::count).sum();
        Timer connect = registry.find("fanout.phase").tag("phase", "connect").timer();
        return String.format("ok %.0f, logins refused %.0f, connect %.1f ms on average",
                ok == null ? 0 : ok.count(), refused, connect == null ? 0 : connect.mean(TimeUnit.MILLISECONDS));
    }
}
