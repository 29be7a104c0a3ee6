package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * {@code config/k8s/job.yaml}, checked as far as a machine without Kubernetes can: the fields an Indexed Job needs,
 * the secret kept off the command line, every mount backed by a volume; and its pod command, run by {@code sh} once
 * per completion index against a simulated fleet, covers every host exactly once: {@code fanout merge} of the pods'
 * files is the run of the whole inventory.
 */
class KubernetesJobTest {

    private static final Path JOB = Path.of("config/k8s/job.yaml");
    private static final String JAR_COMMAND = "java -jar /opt/fanout/fanout.jar";

    @TempDir
    Path dir;

    private static Map<?, ?> map(Object value) {
        return (Map<?, ?>) value;
    }

    private static List<?> list(Object value) {
        return (List<?>) value;
    }

    private static Map<?, ?> job() throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(JOB)));
    }

    private static Map<?, ?> container(Map<?, ?> job) {
        Map<?, ?> pod = map(map(map(job.get("spec")).get("template")).get("spec"));
        List<?> containers = list(pod.get("containers"));
        assertEquals(1, containers.size());
        return map(containers.get(0));
    }

    private static Map<String, Object> environment(Map<?, ?> container) {
        return list(container.get("env")).stream().map(KubernetesJobTest::map).collect(Collectors.toMap(
                entry -> (String) entry.get("name"), entry -> entry.containsKey("value") ? entry.get("value")
                        : entry.get("valueFrom")));
    }

    @Test
    void isAnIndexedJobWhoseShardsMatchItsCompletionsAndWhoseSecretStaysOffTheCommandLine() throws IOException {
        Map<?, ?> job = job();
        assertEquals("batch/v1", job.get("apiVersion"));
        assertEquals("Job", job.get("kind"));
        Map<?, ?> spec = map(job.get("spec"));
        assertEquals("Indexed", spec.get("completionMode"));
        Map<?, ?> pod = map(map(spec.get("template")).get("spec"));
        assertEquals("Never", pod.get("restartPolicy"));

        Map<?, ?> container = container(job);
        Map<String, Object> env = environment(container);
        int shards = Integer.parseInt((String) env.get("SHARDS"));
        assertEquals(shards, spec.get("completions"), "completions = SHARDS");
        assertEquals(shards, spec.get("parallelism"), "parallelism = SHARDS");
        Map<?, ?> secret = map(map(env.get("FANOUT_PASSWORD")).get("secretKeyRef"));
        assertEquals("fanout-credentials", secret.get("name"));

        String command = (String) list(container.get("args")).get(0);
        assertTrue(command.startsWith(JAR_COMMAND + " run "), command);
        assertTrue(command.contains("--shard \"${JOB_COMPLETION_INDEX}/${SHARDS}\""), command);
        assertTrue(command.contains("--password-env FANOUT_PASSWORD"), command);
        assertFalse(command.contains("--password "), command);

        Set<String> volumes = new HashSet<>();
        list(pod.get("volumes")).forEach(volume -> volumes.add((String) map(volume).get("name")));
        for (Object mount : list(container.get("volumeMounts"))) {
            String name = (String) map(mount).get("name");
            assertTrue(volumes.contains(name), "mount " + name + " has a volume");
            String path = (String) map(mount).get("mountPath");
            assertTrue(command.contains(path + "/"), "the command uses " + path);
        }
    }

    @Test
    void itsPodCommandRunOncePerIndexCoversEveryHostOnce() throws Exception {
        Map<?, ?> container = container(job());
        int shards = Integer.parseInt((String) environment(container).get("SHARDS"));
        String password = "k8s-job-test";
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(30, "root", Secret.of(password)))) {
            Path inventory = Files.createDirectories(dir.resolve("inventory"));
            List<String> yaml = new ArrayList<>(List.of("hosts:"));
            fleet.inventoryLines().forEach(line -> yaml.add("  - \"" + line + "\""));
            Files.write(inventory.resolve("hosts.yaml"), yaml);
            Path knownHosts = Files.createDirectories(dir.resolve("known-hosts"));
            fleet.writeKnownHosts(knownHosts.resolve("known_hosts"));
            Path results = Files.createDirectories(dir.resolve("results"));

            String java = ProcessHandle.current().info().command().orElseThrow();
            String command = ((String) list(container.get("args")).get(0))
                    .replace(JAR_COMMAND, "'" + java + "' -cp '" + System.getProperty("java.class.path")
                            + "' dev.fanout.cli.FanoutCommand")
                    .replace("/etc/fanout/inventory/", inventory + "/")
                    .replace("/etc/fanout/known-hosts/", knownHosts + "/")
                    .replace("/results/", results + "/");
            for (int index = 0; index < shards; index++) {
                ProcessBuilder pod = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                        .redirectOutput(dir.resolve("pod-" + index + ".log").toFile());
                pod.environment().put("JOB_COMPLETION_INDEX", Integer.toString(index));
                pod.environment().put("SHARDS", Integer.toString(shards));
                pod.environment().put("FANOUT_PASSWORD", password);
                Process process = pod.start();
                assertTrue(process.waitFor(5, TimeUnit.MINUTES), "pod " + index + " ends");
                String log = Files.readString(dir.resolve("pod-" + index + ".log"));
                assertEquals(0, process.exitValue(), log);
                assertFalse(log.contains(password), log);
            }

            // The shares' files joined as docs/kubernetes.md does: fanout merge with the inventory refuses a host
            // recorded twice and names one without a record, so exit 0 is every host once, ok.
            List<String> merge = new ArrayList<>(List.of("merge", "-i", inventory.resolve("hosts.yaml").toString(),
                    "--no-ssh-config", "--format", "json"));
            for (int index = 0; index < shards; index++) {
                merge.add(results.resolve("shard-" + index + ".jsonl").toString());
            }
            CliRun merged = CliRun.of(merge.toArray(String[]::new));
            assertEquals(0, merged.exitCode(), merged.err());
            List<String> hosts = new ArrayList<>();
            for (Object record : list(map(new Load(LoadSettings.builder().build()).loadFromString(merged.out()))
                    .get("hosts"))) {
                assertEquals("ok", map(record).get("status"), record.toString());
                hosts.add((String) map(record).get("host"));
            }
            List<String> addresses = fleet.inventoryLines().stream().map(line -> Host.parse(line, "root").address())
                    .toList();
            assertEquals(addresses, hosts);
        }
    }
}
