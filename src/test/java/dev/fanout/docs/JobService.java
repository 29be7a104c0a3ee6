package dev.fanout.docs;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.PoolSettings;
import dev.fanout.RunHandle;
import dev.fanout.RunOptions;
import dev.fanout.RunProgress;
import dev.fanout.RunReport;
import dev.fanout.Task;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A web backend's jobs: each started at once, followed and cancelled by its id, all on one shared client. */
public final class JobService implements AutoCloseable {

    private final Fanout fanout;
    private final Map<String, RunHandle> jobs = new ConcurrentHashMap<>();
    private final AtomicInteger lastId = new AtomicInteger();

    /** Takes the service's one client, built from {@link #client}. */
    public JobService(Fanout fanout) {
        this.fanout = fanout;
    }

    /** The settings of the client all jobs share: its limits hold for all of them together. */
    public static Fanout.Builder client(Credentials credentials, Path knownHosts) {
        return Fanout.builder()
                .credentials(credentials)
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts))
                // Connections being set up at once, all jobs together; a free permit goes to the next job in turn.
                .maxHandshakes(100)
                // One session per host, kept for the next job. A job's host whose session another job is using
                // waits its turn, at most 5 s, then ends TIMED_OUT with PoolExhaustedException.
                .sessionPool(new PoolSettings(1, Duration.ofSeconds(5), Duration.ofMinutes(1),
                        Duration.ofSeconds(15)));
    }

    /** Starts the command on the hosts and returns the job's id at once. */
    public String start(List<Host> hosts, String command) {
        String id = "job-" + lastId.incrementAndGet();
        jobs.put(id, fanout.submit(hosts, Task.of(command), RunOptions.builder().maxHandshakes(20).build()));
        return id;
    }

    /** For the status page: "2 done, 1 running, 0 waiting of 3". */
    public String status(String id) {
        RunProgress now = jobs.get(id).progress();
        return now.done() + " done, " + now.running() + " running, " + now.waiting() + " waiting of " + now.hosts();
    }

    /** "Cancel job": running hosts end CANCELLED, hosts not started SKIPPED; false if the job had finished. */
    public boolean cancel(String id) {
        return jobs.get(id).cancel();
    }

    /** "Cancel this host": it ends CANCELLED (SKIPPED if not started yet), the job's other hosts go on. */
    public boolean cancel(String id, Host host) {
        return jobs.get(id).cancel(host);
    }

    /** The job's report, one result per host, once every host has its result. */
    public CompletableFuture<RunReport> report(String id) {
        return jobs.get(id).report();
    }

    /** Cancels the jobs still going and closes the client's sessions. */
    @Override
    public void close() {
        fanout.close();
    }
}
