package dev.fanout.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Command;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.RunHandle;
import dev.fanout.RunListener;
import dev.fanout.RunMode;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.StdStream;
import dev.fanout.Step;
import dev.fanout.StepResult;
import dev.fanout.Task;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Live output against the real sshd, with each driver: a listener hears a command's output as the host writes it,
 * in order, on fanout's own threads, and a listener that is behind on one host holds back that host's output, not
 * another host, and not the client's memory.
 */
class LiveOutputContractTest {

    /** A file in /tmp, where the test users' commands can see it; removed after the test. */
    private static Path sharedFile(String purpose) {
        return Path.of("/tmp", "fanout-live-" + purpose + "-" + UUID.randomUUID());
    }

    /** What a listener heard, one line per call, with the thread each call came on. */
    private static final class Recorder implements RunListener {
        final Queue<String> calls = new ConcurrentLinkedQueue<>();
        final Queue<String> threads = new ConcurrentLinkedQueue<>();
        final CountDownLatch firstLine = new CountDownLatch(1);

        private void record(String call) {
            calls.add(call);
            threads.add(Thread.currentThread().getName());
        }

        @Override
        public void hostStarted(Host host) {
            record("hostStarted");
        }

        @Override
        public void stepStarted(Host host, Step step) {
            record("stepStarted " + step.describe());
        }

        @Override
        public void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
            record(stream + " " + new String(bytes, StandardCharsets.UTF_8));
            firstLine.countDown();
        }

        @Override
        public void stepFinished(Host host, StepResult result) {
            record("stepFinished " + result.output());
        }

        @Override
        public void hostFinished(HostResult result) {
            record("hostFinished " + result.status());
        }

        @Override
        public void runFinished(RunReport report) {
            calls.add("runFinished");
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void aListenerHearsEachLineBeforeTheNextIsWritten(TestDriver driver, TestServer server, Fanout fanout)
            throws Exception {
        List<RunMode> modes = driver == TestDriver.MINA ? List.of(RunMode.VIRTUAL, RunMode.ASYNC)
                : List.of(RunMode.VIRTUAL);
        for (RunMode mode : modes) {
            Path go = sharedFile("go");
            // b is written only once the test has made the file, which it does only once it has heard a.
            String command = "echo a; i=0; while [ ! -e " + go + " ] && [ $i -lt 600 ]; do sleep 0.1; "
                    + "i=$((i+1)); done; echo b";
            Recorder recorder = new Recorder();
            try {
                RunHandle run = fanout.submit(List.of(server.host(TestServer.PASSWORD_USER)), Task.of(command),
                        RunOptions.builder().mode(mode).build(), recorder);
                assertTrue(recorder.firstLine.await(30, TimeUnit.SECONDS), mode + ": a arrives while the host waits");
                List<String> beforeB = List.copyOf(recorder.calls);
                Files.createFile(go);
                RunReport report = run.report().get(60, TimeUnit.SECONDS);

                assertTrue(report.allOk(), report.results().toString());
                assertEquals(List.of("hostStarted", "stepStarted " + command, "STDOUT a\n"), beforeB, mode.name());
                assertEquals(List.of("hostStarted", "stepStarted " + command, "STDOUT a\n", "STDOUT b\n",
                        "stepFinished a\nb\n", "hostFinished OK", "runFinished"), List.copyOf(recorder.calls),
                        mode.name());
                for (String thread : recorder.threads) {
                    assertTrue(thread.startsWith("fanout-listener-"), mode + ": a call about a host came on "
                            + thread + ", not on a thread of fanout's listener calls");
                }
            } finally {
                Files.deleteIfExists(go);
            }
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void aListenerBehindOnOneHostHoldsBackThatHostOnly(TestServer server, Fanout fanout) throws Exception {
        int size = 16 << 20;
        Host slow = server.host(TestServer.PASSWORD_USER);
        Host quick = server.host(TestServer.KBD_USER);
        Path slowDone = sharedFile("done");
        // The slow host writes 16 MiB, then the file. The quick host ends once that file exists, or after 5 s: early
        // only if fanout read all 16 MiB while its listener was behind.
        String command = "if [ \"$USER\" = " + slow.user() + " ]; then head -c " + size + " /dev/zero; touch "
                + slowDone + "; else i=0; while [ ! -e " + slowDone + " ] && [ $i -lt 50 ]; do sleep 0.1; "
                + "i=$((i+1)); done; head -c " + size + " /dev/zero; fi";
        CountDownLatch quickFinished = new CountDownLatch(1);
        AtomicBoolean quickFinishedWhileSlowWaited = new AtomicBoolean();
        AtomicBoolean slowHostWroteAllMeanwhile = new AtomicBoolean(true);
        Map<Host, AtomicLong> heard = new ConcurrentHashMap<>();
        RunListener listener = new RunListener() {
            @Override
            public void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
                if (heard.computeIfAbsent(host, h -> new AtomicLong()).getAndAdd(bytes.length) == 0
                        && host.equals(slow)) {
                    // Behind on the slow host from its first chunk on, until the other host is done.
                    try {
                        quickFinishedWhileSlowWaited.set(quickFinished.await(60, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    slowHostWroteAllMeanwhile.set(Files.exists(slowDone));
                }
            }

            @Override
            public void hostFinished(HostResult result) {
                if (result.host().equals(quick)) {
                    quickFinished.countDown();
                }
            }
        };
        try {
            RunReport report = fanout.run(List.of(slow, quick), Task.of(command), RunOptions.defaults(), listener);

            assertTrue(report.allOk(), report.results().toString());
            assertTrue(quickFinishedWhileSlowWaited.get(), "the other host ends while the listener is behind");
            assertFalse(slowHostWroteAllMeanwhile.get(), "the slow host's command is held back: fanout did not read "
                    + "its 16 MiB into memory while the listener was behind");
            for (Host host : List.of(slow, quick)) {
                assertEquals(size, heard.get(host).get(), host + ": the listener hears every byte");
                HostResult result = report.results().stream().filter(r -> r.host().equals(host)).findFirst()
                        .orElseThrow();
                StepResult.Executed step = (StepResult.Executed) result.steps().get(0);
                assertEquals(size, step.exec().stdout().totalBytes(), host + ": the result counts every byte");
                assertEquals(Fanout.DEFAULT_OUTPUT_LIMIT, step.exec().stdout().bytes().length,
                        host + ": and keeps the output limit");
            }
        } finally {
            Files.deleteIfExists(slowDone);
        }
    }

    /**
     * Sudo's exchange (its prompt, the newline after the password, the start marker) is held back from the listener
     * as from the result: the listener hears the command's output only, and never the password.
     */
    @ContractTest(servers = ContractServer.OPENSSH)
    void aListenerHearsASudoCommandsOutputWithoutSudosExchange(TestDriver driver, OpenSshServer server, Fanout fanout)
            throws Exception {
        server.requireSudo();
        List<RunMode> modes = driver == TestDriver.MINA ? List.of(RunMode.VIRTUAL, RunMode.ASYNC)
                : List.of(RunMode.VIRTUAL);
        for (RunMode mode : modes) {
            Recorder recorder = new Recorder();
            Task task = new Task(List.of(new Step.Exec(Command.of("id -un; echo done").withSudo())), false);
            RunReport report = fanout.run(List.of(server.host(OpenSshServer.SUDO_USER)), task,
                    RunOptions.builder().mode(mode).build(), recorder);

            assertTrue(report.allOk(), report.results().toString());
            String heard = recorder.calls.stream().filter(call -> call.startsWith("STDOUT ")
                    || call.startsWith("STDERR ")).map(call -> call.substring(7)).collect(Collectors.joining());
            assertEquals("root\ndone\n", heard, mode.name());
            String all = String.join("\n", recorder.calls);
            assertFalse(all.contains(server.password().reveal()), mode + ": the password shows in: " + all);
        }
    }
}
