package dev.fanout.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Secret;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.UploadSource;
import dev.fanout.error.TransferFailedException;
import dev.fanout.testing.TestDriver;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Uploads and downloads between fanout's drivers and the simulated fleet's SFTP server. */
class FleetTransferTest {

    private static final Secret PASSWORD = Secret.of("fleet-password");
    /** Limits that no test here is about: far above what a step takes on a loaded machine. */
    private static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60));

    @TempDir
    Path dir;

    private Fanout fanout(SimulatedFleet fleet, TestDriver driver) {
        return fanout(fleet, driver, TIMEOUTS);
    }

    private Fanout fanout(SimulatedFleet fleet, TestDriver driver, Timeouts timeouts) {
        Path knownHosts = dir.resolve("known_hosts-" + driver);
        fleet.writeKnownHosts(knownHosts);
        return Fanout.builder().driver(driver.id()).credentials(Credentials.password(PASSWORD))
                .hostKeyPolicy(HostKeyPolicy.strict(knownHosts)).timeouts(timeouts).build();
    }

    private static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static FleetFileSystem.Node file(SimulatedFleet fleet, int host, String path) {
        return fleet.filesOf(host).get(path).orElseThrow(() -> new AssertionError(path + " missing on " + host));
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void uploadsThenRunsInOneTaskAndChecksSha256ByReadingBack(TestDriver driver) throws Exception {
        byte[] script = "echo installed\n".getBytes(StandardCharsets.UTF_8);
        Task task = new Task(List.of(
                Step.upload(UploadSource.bytes("install.sh", script), "/opt/fanout/bin/install.sh").withMode(0755)
                        .withSha256(),
                Step.exec("test -x /opt/fanout/bin/install.sh && cat /opt/fanout/bin/install.sh")), false);
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(20, "root", PASSWORD));
                Fanout fanout = fanout(fleet, driver)) {
            RunReport report = fanout.run(fleet.hosts(), task, RunOptions.defaults());
            assertTrue(report.allOk(), report.failed().toString());
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script));
            for (HostResult result : report.results()) {
                StepResult.Transferred upload = assertInstanceOf(StepResult.Transferred.class, result.steps().get(0));
                assertEquals(expected, upload.transfer().sha256().orElseThrow());
                assertEquals("echo installed\n", result.steps().get(1).output());
            }
            FleetFileSystem.Node installed = file(fleet, 7, "/opt/fanout/bin/install.sh");
            assertEquals(0755, installed.mode());
            assertEquals(List.of("install.sh"), fleet.filesOf(7).list("/opt/fanout/bin"));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void downloadsOneFilePerHostNamedAfterTheHost(TestDriver driver) throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(5, "root", PASSWORD));
                Fanout fanout = fanout(fleet, driver)) {
            for (int i = 0; i < 5; i++) {
                assertEquals(null, fleet.filesOf(i).write("/var/agent.log",
                        ("host " + i + "\n").getBytes(StandardCharsets.UTF_8), false));
            }
            Path out = dir.resolve("logs");
            RunReport report = fanout.run(fleet.hosts(), new Task(List.of(Step.downloadEach("/var/agent.log", out)),
                    false), RunOptions.defaults());
            assertTrue(report.allOk(), report.failed().toString());
            for (int i = 0; i < 5; i++) {
                Path local = out.resolve(Step.localName(fleet.hosts().get(i)));
                assertEquals("host " + i + "\n", Files.readString(local));
            }
            try (var names = Files.list(out)) {
                assertEquals(5, names.count(), "one file per host, no temporary file left");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void permissionDeniedAndAFullDiskAreToldApart(TestDriver driver) throws Exception {
        FleetConfig config = FleetConfig.of(3, "deploy", PASSWORD).withFaults(List.of(
                Fault.on(FaultType.DISK_FULL, 2).withBytes(100 * 1024)));
        byte[] megabyte = randomBytes(1 << 20, 5);
        try (SimulatedFleet fleet = SimulatedFleet.start(config);
                Fanout fanout = fanout(fleet, driver)) {
            RunReport report = fanout.run(fleet.hosts().subList(0, 1),
                    new Task(List.of(Step.upload(UploadSource.bytes("x", megabyte), "/etc/agent.conf")), false),
                    RunOptions.defaults());
            TransferFailedException denied = assertInstanceOf(TransferFailedException.class,
                    report.results().get(0).error().orElseThrow());
            assertEquals(TransferFailedException.Reason.PERMISSION_DENIED, denied.reason(), denied.getMessage());

            report = fanout.run(fleet.hosts().subList(1, 3), new Task(List.of(
                    Step.upload(UploadSource.bytes("agent.bin", megabyte), "/home/deploy/agent.bin")), false),
                    RunOptions.defaults());
            assertEquals(HostStatus.OK, report.results().get(0).status());
            TransferFailedException full = assertInstanceOf(TransferFailedException.class,
                    report.results().get(1).error().orElseThrow());
            assertEquals(TransferFailedException.Reason.NO_SPACE, full.reason(), full.getMessage());
            assertTrue(full.getMessage().contains("/home/deploy/"), full.getMessage());
            assertEquals(List.of(), fleet.filesOf(2).list("/home/deploy"), "the temporary file must be gone");
            assertEquals(100 * 1024, fleet.filesOf(2).freeBytes(), "the disk space must be given back");
        }
    }

    /**
     * An upload to a host whose SFTP server never answers ends TIMED_OUT by the upload's own limit (its message
     * names it), while the same upload without that limit succeeds on a healthy host of the fleet. The client's
     * limits lie beyond the test's own time limit, so an upload that waited for one of them fails the test.
     */
    @ParameterizedTest
    @EnumSource(TestDriver.class)
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHostThatNeverAnswersTimesOut(TestDriver driver) throws Exception {
        FleetConfig config = FleetConfig.of(2, "root", PASSWORD).withFaults(List.of(Fault.on(FaultType.HANG, 1)));
        Step.Upload upload = Step.upload(UploadSource.bytes("a", new byte[10]), "/tmp/a");
        try (SimulatedFleet fleet = SimulatedFleet.start(config);
                Fanout fanout = fanout(fleet, driver, new Timeouts(TIMEOUTS.connect(), TIMEOUTS.auth(),
                        Duration.ofMinutes(10)))) {
            HostResult healthy = fanout.run(fleet.hosts().subList(0, 1), new Task(List.of(upload), false),
                    RunOptions.defaults()).results().get(0);
            assertEquals(HostStatus.OK, healthy.status(), healthy.detail());
            HostResult hung = fanout.run(fleet.hosts().subList(1, 2),
                    new Task(List.of(upload.withTimeout(Duration.ofSeconds(2))), false), RunOptions.defaults())
                    .results().get(0);
            assertEquals(HostStatus.TIMED_OUT, hung.status(), hung.detail());
            TransferFailedException failure = assertInstanceOf(TransferFailedException.class,
                    hung.error().orElseThrow());
            assertEquals(TransferFailedException.Reason.TIMED_OUT, failure.reason(), failure.getMessage());
            assertTrue(failure.getMessage().contains(" 2000 ms"), failure.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void aReaderOnTheHostNeverSeesAPartialFile(TestDriver driver) throws Exception {
        byte[] first = randomBytes(3 << 20, 1);
        byte[] second = randomBytes(3 << 20, 2);
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        AtomicReference<String> torn = new AtomicReference<>();
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                Fanout fanout = fanout(fleet, driver)) {
            FileContent one = FileContent.of(first);
            FileContent two = FileContent.of(second);
            Thread reader = Thread.ofPlatform().start(() -> {
                // Reads once more after the uploads, when the file surely exists, however late the reader ran.
                for (boolean last = false; !last;) {
                    last = !reading.get();
                    fleet.filesOf(0).get("/srv/blob").ifPresent(node -> {
                        reads.incrementAndGet();
                        if (!node.content().sameBytes(one) && !node.content().sameBytes(two)
                                && node.content().size() != 0) {
                            torn.set("saw " + node.content().size() + " bytes of neither version");
                        }
                    });
                }
            });
            for (int round = 0; round < 4; round++) {
                RunReport report = fanout.run(fleet.hosts(), new Task(List.of(Step.upload(
                        UploadSource.bytes("blob", round % 2 == 0 ? first : second), "/srv/blob")), false),
                        RunOptions.defaults());
                assertTrue(report.allOk(), report.failed().toString());
            }
            reading.set(false);
            reader.join();
            assertEquals(null, torn.get());
            assertTrue(reads.get() > 0);
            assertArrayEquals(second, file(fleet, 0, "/srv/blob").data());
        }
    }

    /**
     * A watcher on the host scans the target directory throughout five uploads; each upload's source waits after its
     * first MiB until the watcher has seen the temporary file, so it is seen every time. No temporary file may ever
     * let others read it before it is whole (it gets its mode, 0644, only then).
     */
    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void noOtherUserCanEverReadAPartOfAnUpload(TestDriver driver) throws Exception {
        byte[] content = randomBytes(2 << 20, 6);
        AtomicBoolean watching = new AtomicBoolean(true);
        AtomicReference<CountDownLatch> seen = new AtomicReference<>(new CountDownLatch(1));
        AtomicReference<String> exposed = new AtomicReference<>();
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                Fanout fanout = fanout(fleet, driver)) {
            FleetFileSystem files = fleet.filesOf(0);
            assertEquals(null, files.mkdir("/srv/app", true));
            Thread watcher = Thread.ofPlatform().start(() -> {
                while (watching.get()) {
                    for (String name : files.list("/srv/app")) {
                        files.get("/srv/app/" + name).filter(node -> name.endsWith(".tmp")).ifPresent(node -> {
                            if ((node.mode() & 077) != 0 && node.content().size() < content.length) {
                                exposed.set(name + " was mode 0" + Integer.toOctalString(node.mode()) + " with "
                                        + node.content().size() + " bytes");
                            }
                            seen.get().countDown();
                        });
                    }
                }
            });
            try {
                for (int round = 0; round < 5; round++) {
                    CountDownLatch sighting = new CountDownLatch(1);
                    seen.set(sighting);
                    RunReport report = fanout.run(fleet.hosts(), new Task(List.of(Step.upload(
                            waitingSource(content, sighting), "/srv/app/app.bin").withMode(0644)), false),
                            RunOptions.defaults());
                    assertTrue(report.allOk(), report.failed().toString());
                }
            } finally {
                watching.set(false);
                watcher.join();
            }
            assertEquals(null, exposed.get());
            assertEquals(0644, file(fleet, 0, "/srv/app/app.bin").mode());
            assertEquals(List.of("app.bin"), files.list("/srv/app"));
        }
    }

    /** {@code content}, whose reader waits after the first MiB until {@code go} opens. */
    private static UploadSource waitingSource(byte[] content, CountDownLatch go) {
        return new UploadSource() {
            @Override
            public InputStream open() {
                return new FilterInputStream(new ByteArrayInputStream(content)) {
                    private int position;

                    @Override
                    public int read(byte[] bytes, int offset, int length) throws IOException {
                        int limit = length;
                        if (position < 1 << 20) {
                            limit = Math.min(length, (1 << 20) - position);
                        } else {
                            try {
                                go.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        int read = super.read(bytes, offset, limit);
                        position += Math.max(read, 0);
                        return read;
                    }
                };
            }

            @Override
            public long size() {
                return content.length;
            }

            @Override
            public String name() {
                return "app.bin";
            }
        };
    }

    @ParameterizedTest
    @EnumSource(TestDriver.class)
    void aThousandHostsReceiveTheSameMegabyte(TestDriver driver) throws Exception {
        byte[] megabyte = randomBytes(1 << 20, 9);
        Path local = Files.write(dir.resolve("agent.tar.gz"), megabyte);
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1000, "root", PASSWORD));
                Fanout fanout = fanout(fleet, driver)) {
            RunReport report = fanout.run(fleet.hosts(), new Task(List.of(
                    Step.upload(local, "/opt/agent/agent.tar.gz")), false),
                    RunOptions.builder().maxInFlight(100).build());
            assertEquals(1000, report.results().size());
            assertTrue(report.allOk(), report.failed().size() + " failed, first: " + report.failed().stream()
                    .findFirst().map(HostResult::detail).orElse(""));
            FileContent first = file(fleet, 0, "/opt/agent/agent.tar.gz").content();
            assertArrayEquals(megabyte, first.bytes());
            for (int i = 1; i < 1000; i++) {
                assertSame(first, file(fleet, i, "/opt/agent/agent.tar.gz").content(),
                        "host " + i + " must hold the same bytes (shared, so the fleet holds one copy)");
            }
        }
    }
}
