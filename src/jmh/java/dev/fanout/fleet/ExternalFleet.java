package dev.fanout.fleet;

import dev.fanout.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A simulated fleet in a process of its own ({@code fanout fleet}), so that a benchmark measures the client's CPU,
 * threads and heap alone. Ready when started; {@link #close()} stops it with SIGTERM.
 */
public final class ExternalFleet implements AutoCloseable {

    private final Process process;
    private final List<Host> hosts;
    private final Path knownHosts;

    private ExternalFleet(Process process, List<Host> hosts, Path knownHosts) {
        this.process = process;
        this.hosts = hosts;
        this.knownHosts = knownHosts;
    }

    /**
     * Starts {@code hosts} hosts with {@code latency} per phase, accepting {@code passwordEnv}'s value as password.
     *
     * @throws IOException if the fleet does not say it is ready within two minutes
     */
    public static ExternalFleet start(int hosts, String latency, String password) throws IOException {
        Path directory = Files.createTempDirectory("fanout-bench-fleet");
        Path inventory = directory.resolve("inventory.txt");
        Path knownHosts = directory.resolve("known_hosts");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-Xmx4g", "-cp", System.getProperty("java.class.path"), "dev.fanout.cli.FanoutCommand", "fleet",
                "--hosts", Integer.toString(hosts), "--latency", latency, "--password-env", "FANOUT_BENCH_PASSWORD",
                "--inventory-out", inventory.toString(), "--known-hosts-out", knownHosts.toString())
                .redirectError(directory.resolve("fleet.log").toFile());
        builder.environment().put("FANOUT_BENCH_PASSWORD", password);
        Process process = builder.start();
        // JMH skips a trial's tear-down when an iteration throws (a host failed): the fleet then goes with this JVM.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "fanout-bench-fleet-stop"));
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("ready ")) {
            process.destroyForcibly();
            throw new IOException("the fleet did not start: " + Files.readString(directory.resolve("fleet.log")));
        }
        List<Host> parsed = new ArrayList<>();
        for (String entry : Files.readAllLines(inventory)) {
            parsed.add(Host.parse(entry, null));
        }
        return new ExternalFleet(process, List.copyOf(parsed), knownHosts);
    }

    /** The hosts, in index order. */
    public List<Host> hosts() {
        return hosts;
    }

    /** The fleet's known_hosts file. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** CPU time the fleet process has used so far (0 where the system does not say). */
    public Duration cpuTime() {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Stops the fleet: SIGTERM, and SIGKILL if it has not ended within 30 s or the wait is interrupted. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
