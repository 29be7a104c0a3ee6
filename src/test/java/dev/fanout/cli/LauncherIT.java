package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The real launcher, {@code ./fanout}, on the jar that {@code mvn package} built: what users run. */
class LauncherIT {

    private static final Path LAUNCHER = Path.of("fanout").toAbsolutePath();
    private static final Path AOT_DIRECTORY = Path.of("target", "aot");

    @TempDir
    Path dir;

    private record Outcome(int exitCode, String out) {
    }

    private static Outcome launch(String... args) throws Exception {
        return launch(Map.of(), args);
    }

    private static Outcome launch(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Outcome(process.exitValue(), out);
    }

    @Test
    void runsTheReferenceCommandsOnASimulatedFleetAndReportsJson() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(50, "root", Secret.of("launcher-test")))) {
            Path inventory = dir.resolve("inventory.txt");
            Path knownHosts = dir.resolve("known_hosts");
            Path password = dir.resolve("password");
            fleet.writeInventory(inventory);
            fleet.writeKnownHosts(knownHosts);
            Files.writeString(password, "launcher-test");
            Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
            Outcome outcome = launch("run", "-i", inventory.toString(), "--known-hosts", knownHosts.toString(),
                    "--password-file", password.toString(), "--no-progress", "--format", "json", "--mode", "async",
                    "-c", "uname -sr", "-c", "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh",
                    "-c", "nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &");
            assertEquals(0, outcome.exitCode(), outcome.out());
            String json = outcome.out().substring(outcome.out().indexOf('{'), outcome.out().lastIndexOf('}') + 1);
            Map<?, ?> summary = (Map<?, ?>) ((Map<?, ?>) new Load(LoadSettings.builder().build())
                    .loadFromString(json)).get("summary");
            assertEquals(50, summary.get("ok"));
        }
    }

    @Test
    void answersVersionHelpAndBadFlags() throws Exception {
        Outcome version = launch("--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.out().contains("fanout 0.1.0") && version.out().contains("drivers: jsch, mina"),
                version.out());
        Outcome help = launch("run", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("--password-env"), help.out());
        Outcome bad = launch("run", "--nope", "-c", "true");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.out().contains("Unknown option: '--nope'"), bad.out());
    }

    /**
     * On JDK 25+ the launcher records a start-up cache once per build, by a training run of the commands people
     * type, and then starts with it, printing nothing about it; before 25 it records none.
     */
    @Test
    void startsFromARecordedCacheQuietlyOnJdk25AndLater() throws Exception {
        Outcome first = launch("--version");
        assertEquals(0, first.exitCode(), first.out());
        Matcher jdk = Pattern.compile("JDK (\\d+)").matcher(first.out());
        assertTrue(jdk.find(), first.out());
        Path jar = Path.of("target", "fanout.jar");
        List<Path> caches;
        try (Stream<Path> files = Files.exists(AOT_DIRECTORY) ? Files.list(AOT_DIRECTORY) : Stream.empty()) {
            caches = files.filter(file -> file.toString().endsWith(".aot")).toList();
        }
        if (Integer.parseInt(jdk.group(1)) < 25) {
            assertEquals(List.of(), caches);
            return;
        }
        assertEquals(1, caches.size(), caches.toString());
        assertTrue(!Files.getLastModifiedTime(caches.get(0)).toInstant()
                .isBefore(Files.getLastModifiedTime(jar).toInstant()), "the cache is older than the jar");

        Outcome again = launch("--version");
        assertEquals(first.out().lines().filter(line -> line.startsWith("fanout ") || line.startsWith("JDK "))
                .toList(), again.out().lines().toList(), "nothing but the version: " + again.out());
        Outcome logged = launch(Map.of("FANOUT_JAVA_OPTS", "-Xlog:aot"), "--version");
        assertTrue(logged.out().contains("Opened AOT cache " + caches.get(0).toAbsolutePath()), logged.out());
        // The training ran the commands people type (dev.fanout.cli.StartUpTraining), not only the demo.
        Outcome loaded = launch(Map.of("FANOUT_JAVA_OPTS", "-Xlog:class+load"), "--version");
        for (String command : List.of("RunCommand", "CopyCommand", "FetchCommand")) {
            assertTrue(loaded.out().contains("dev.fanout.cli." + command + " source: shared objects file"),
                    command + " from the cache: " + loaded.out().lines().filter(line -> line.contains(command))
                            .toList());
        }
    }

    /**
     * The command line's copy of picocli holds Java 21 class files compiled from picocli's sources, which the
     * start-up cache takes (it refuses picocli's own Java 5 ones), and keeps its module descriptor.
     */
    @Test
    void picocliStartsFromTheStartUpCache() throws Exception {
        Path picocli;
        try (Stream<Path> files = Files.list(Path.of("target", "lib"))) {
            picocli = files.filter(file -> file.getFileName().toString().startsWith("picocli-")).findFirst()
                    .orElseThrow();
        }
        try (JarFile file = new JarFile(picocli.toFile(), true, ZipFile.OPEN_READ, Runtime.version())) {
            try (DataInputStream in = new DataInputStream(
                    file.getInputStream(file.getEntry("picocli/CommandLine.class")))) {
                assertEquals(0xCAFEBABE, in.readInt());
                in.readUnsignedShort();
                assertEquals(65, in.readUnsignedShort(), "class file version of picocli.CommandLine");
            }
            assertTrue(file.isMultiRelease() && file.getJarEntry("module-info.class") != null,
                    "the module descriptor is gone");
        }
        Outcome version = launch(Map.of("FANOUT_JAVA_OPTS", "-Xlog:class+load"), "--version");
        assertEquals(0, version.exitCode(), version.out());
        Matcher jdk = Pattern.compile("JDK (\\d+)").matcher(version.out());
        assertTrue(jdk.find(), version.out());
        if (Integer.parseInt(jdk.group(1)) >= 25) {
            assertTrue(version.out().contains(" picocli.CommandLine source: shared objects file"), version.out());
        }
    }

    /**
     * The command line's libraries carry no jar signature and no per-entry manifest sections: a signed jar makes
     * every start parse and check its signature, and the start-up cache refuses its classes. Multi-release jars
     * stay multi-release.
     */
    @Test
    void theCommandLinesLibrariesAreUnsignedAndStayMultiRelease() throws Exception {
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of("target", "lib"))) {
            jars = files.filter(file -> file.toString().endsWith(".jar")).sorted().toList();
        }
        assertTrue(jars.stream().anyMatch(jar -> jar.getFileName().toString().startsWith("bcprov-")), jars.toString());
        Pattern signatureFile = Pattern.compile("META-INF/[^/]+\\.(SF|RSA|DSA|EC)");
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                List<String> signatures = file.stream().map(JarEntry::getName)
                        .filter(name -> signatureFile.matcher(name).matches()).toList();
                assertEquals(List.of(), signatures, jar.toString());
                Manifest manifest = file.getManifest();
                assertTrue(manifest == null || manifest.getEntries().isEmpty(),
                        jar + " has per-entry manifest sections");
                if (jar.getFileName().toString().startsWith("bcprov-")) {
                    assertTrue(file.isMultiRelease(), jar + " is no longer multi-release");
                }
            }
        }
    }

    /**
     * Client commands run with the serial collector and a 16 MiB initial heap, and with C1 only but for copy and
     * fetch (bulk data through AES-GCM, which only C2 compiles to AES instructions), the fleet with the JDK's
     * defaults; a JIT, GC or initial heap option in FANOUT_JAVA_OPTS replaces the launcher's choice (two collectors
     * would stop the JVM).
     */
    @Test
    void choosesTheJitCollectorAndInitialHeapByCommandUnlessFanoutJavaOptsDoes() throws Exception {
        Outcome client = launch(Map.of("FANOUT_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "run", "--help");
        assertEquals(0, client.exitCode(), client.out());
        assertTrue(client.out().contains("-XX:TieredStopAtLevel=1") && client.out().contains("-XX:+UseSerialGC")
                && client.out().contains("-XX:InitialHeapSize=16777216"), client.out());

        for (String transfer : List.of("copy", "fetch")) {
            Outcome bulk = launch(Map.of("FANOUT_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), transfer, "--help");
            assertEquals(0, bulk.exitCode(), bulk.out());
            assertTrue(bulk.out().contains("-XX:+UseSerialGC") && bulk.out().contains("-XX:InitialHeapSize=16777216"),
                    bulk.out());
            assertFalse(bulk.out().contains("-XX:TieredStopAtLevel"), bulk.out());
        }

        Outcome fleet = launch(Map.of("FANOUT_JAVA_OPTS", "-XX:+PrintCommandLineFlags"), "fleet", "--help");
        assertEquals(0, fleet.exitCode(), fleet.out());
        assertTrue(fleet.out().contains("-XX:+PrintCommandLineFlags"), fleet.out());
        assertFalse(fleet.out().contains("-XX:TieredStopAtLevel") || fleet.out().contains("InitialHeapSize=16777216"),
                fleet.out());

        Outcome overridden = launch(Map.of("FANOUT_JAVA_OPTS",
                "-XX:+PrintCommandLineFlags -XX:+UseParallelGC -XX:TieredStopAtLevel=4 -Xms64m"), "run", "--help");
        assertEquals(0, overridden.exitCode(), overridden.out());
        assertTrue(overridden.out().contains("-XX:+UseParallelGC") && overridden.out().contains("Exit codes:"),
                overridden.out());
        assertTrue(overridden.out().contains("-XX:InitialHeapSize=67108864"), overridden.out());
        assertFalse(overridden.out().contains("-XX:+UseSerialGC")
                || overridden.out().contains("-XX:TieredStopAtLevel=1")
                || overridden.out().contains("InitialHeapSize=16777216"), overridden.out());
    }
}
