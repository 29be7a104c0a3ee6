package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.File;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built jar as a module: its descriptor exports the API and nothing else, and the command line runs on the
 * module path (drivers found as services, MINA from its one-jar form, picocli's reflection allowed, its JSON
 * written).
 */
class ModulePathIT {

    private static final Path JAR = Path.of("target", "fanout.jar").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theJarIsAModuleThatExportsOnlyTheApi() {
        ModuleReference module = ModuleFinder.of(JAR).findAll().iterator().next();
        ModuleDescriptor descriptor = module.descriptor();
        assertEquals("dev.fanout", descriptor.name());
        assertEquals(Set.of("dev.fanout", "dev.fanout.error", "dev.fanout.spi", "dev.fanout.fleet",
                "dev.fanout.micrometer"),
                descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet()));
        assertTrue(descriptor.packages().stream().filter(pkg -> pkg.startsWith("dev.fanout.internal"))
                .count() >= 8, descriptor.packages().toString());
        assertEquals(List.of("dev.fanout.internal.driver.jsch.JschDriverProvider",
                "dev.fanout.internal.driver.mina.MinaDriverProvider"),
                descriptor.provides().iterator().next().providers());
    }

    @Test
    void runsOnTheModulePath() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(5, "root", Secret.of("module-test")))) {
            Path inventory = dir.resolve("inventory.txt");
            Path knownHosts = dir.resolve("known_hosts");
            fleet.writeInventory(inventory);
            fleet.writeKnownHosts(knownHosts);
            for (String driver : List.of("mina", "jsch")) {
                List<String> command = new ArrayList<>(List.of(java(), "-p", modulePath(),
                        "--add-modules", "info.picocli,org.snakeyaml.engine,tools.jackson.core",
                        "-m", "dev.fanout/dev.fanout.cli.FanoutCommand", "run", "-i", inventory.toString(),
                        "--known-hosts", knownHosts.toString(), "--password-env", "MODULE_TEST_PASSWORD",
                        "--driver", driver, "--no-progress", "-c", "uname -sr", "--format", "json"));
                ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
                builder.environment().put("MODULE_TEST_PASSWORD", "module-test");
                Process process = builder.start();
                String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(process.waitFor(2, TimeUnit.MINUTES), out);
                assertEquals(0, process.exitValue(), driver + ": " + out);
                assertTrue(out.matches("(?s).*fanout: 5 hosts in [0-9.]+s: 5 ok\\R.*"), driver + ": " + out);
                assertTrue(out.contains("{\"schemaVersion\":1,\"summary\":{\"hosts\":5,\"ok\":5,"),
                        driver + ": " + out);
            }
        }
    }

    /** The jar and exactly the libraries its manifest names (target/lib may hold older ones). */
    private static String modulePath() throws Exception {
        try (JarFile jar = new JarFile(JAR.toFile())) {
            String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
            return Stream.concat(Stream.of(JAR.toString()), Stream.of(classPath.trim().split("\\s+"))
                    .map(entry -> JAR.getParent().resolve(entry).toString()))
                    .collect(Collectors.joining(File.pathSeparator));
        }
    }

    /** The JDK running the tests (21+, found by the build). */
    private static String java() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        assertTrue(Files.isExecutable(java), java.toString());
        return java.toString();
    }
}
