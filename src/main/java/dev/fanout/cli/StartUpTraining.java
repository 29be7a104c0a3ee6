package dev.fanout.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The training run behind the launcher's start-up cache (JDK 25+, {@code -XX:AOTCacheOutput}): in one JVM, what
 * the short command lines people type do, so that the cache holds the classes and lambdas of those paths:
 * {@code run} (text, then JSON with a results file), {@code copy} and {@code fetch} with the default driver,
 * against a simulated fleet in a process of its own (the cache loads every class it holds at each start, and the
 * fleet's are of no use to a client). Not a command: the launcher runs it as
 * {@code java -XX:AOTCacheOutput=FILE -cp fanout.jar dev.fanout.cli.StartUpTraining}.
 */
public final class StartUpTraining {

    private static final String PASSWORD_VARIABLE = "FANOUT_TRAINING_PASSWORD";

    private StartUpTraining() {
    }

    /** Runs the training; exits 1 if a command of it failed, as a cache of a failed path would mislead. */
    public static void main(String[] args) throws IOException, InterruptedException {
        FanoutCommand.quietLogging();
        Path dir = Files.createTempDirectory("fanout-training");
        byte[] random = new byte[12];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Path inventory = dir.resolve("inventory.txt");
        Path knownHosts = dir.resolve("known_hosts");
        ProcessBuilder fleetCommand = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "-cp", System.getProperty("java.class.path"), FanoutCommand.class.getName(), "fleet", "--hosts",
                "20", "--latency", "0ms", "--password-env", PASSWORD_VARIABLE, "--inventory-out",
                inventory.toString(), "--known-hosts-out", knownHosts.toString());
        fleetCommand.environment().put(PASSWORD_VARIABLE, password);
        Process fleet = fleetCommand.redirectErrorStream(true).start();
        int failed = 0;
        try {
            awaitReady(fleet);
            Path passwordFile = Files.writeString(dir.resolve("password"), password + "\n");
            Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
            Path sshConfig = Files.writeString(dir.resolve("ssh_config"), "");
            Path upload = Files.writeString(dir.resolve("agent.conf"), "port=8080\n");
            List<String> common = List.of("-i", inventory.toString(), "--password-file", passwordFile.toString(),
                    "--known-hosts", knownHosts.toString(), "-F", sshConfig.toString(), "--no-agent");
            failed += execute(Stream.of(List.of("run"), common, List.of("-c", "uname -sr")));
            failed += execute(Stream.of(List.of("run"), common, List.of("--format", "json", "--no-progress",
                    "--out", dir.resolve("results.jsonl").toString(), "-c", "uname -sr")));
            failed += execute(Stream.of(List.of("copy"), common, List.of(upload.toString(), "/tmp/")));
            failed += execute(Stream.of(List.of("fetch"), common,
                    List.of("/tmp/agent.conf", dir.resolve("fetched").toString())));
        } finally {
            fleet.destroy();
            fleet.waitFor(10, TimeUnit.SECONDS);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Reads the fleet's output until it says it is ready; fails if it ends first. */
    private static void awaitReady(Process fleet) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(fleet.getInputStream(),
                StandardCharsets.UTF_8));
        for (String line = output.readLine(); line != null; line = output.readLine()) {
            System.out.println("fleet: " + line);
            if (line.startsWith("ready ")) {
                Thread.ofPlatform().daemon().start(() -> drain(output));
                return;
            }
        }
        throw new IOException("the training fleet ended before it was ready");
    }

    /** Reads the rest of the fleet's output, so that it never blocks on a full pipe. */
    private static void drain(BufferedReader output) {
        try {
            output.transferTo(Writer.nullWriter());
        } catch (IOException ended) {
            // The fleet was stopped.
        }
    }

    /** One command line, in this JVM; 1 if it did not succeed. */
    private static int execute(Stream<List<String>> parts) {
        String[] args = parts.flatMap(List::stream).toArray(String[]::new);
        int code = FanoutCommand.commandLine(args).execute(args);
        if (code != 0) {
            System.err.println("training: exit " + code + " from fanout " + String.join(" ", args));
        }
        return code == 0 ? 0 : 1;
    }
}
