package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.testing.ContractServer;
import dev.fanout.testing.ContractTest;
import dev.fanout.testing.TestDriver;
import dev.fanout.testing.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

/**
 * {@code fanout run} in text mode prints each line as the host sends it, {@code host: line}, as pdsh and clush do,
 * against the real sshd with each driver; the line that ends a command's output without a newline comes at its end.
 */
class LiveLinesTest {

    /** Standard output as the command line writes it, with a way to wait until some text is there. */
    private static final class WatchedOutput extends Writer {
        private final ReentrantLock textLock = new ReentrantLock();
        private final Condition written = textLock.newCondition();
        private final StringBuilder text = new StringBuilder();

        @Override
        public void write(char[] chars, int offset, int length) {
            textLock.lock();
            try {
                text.append(chars, offset, length);
                written.signalAll();
            } finally {
                textLock.unlock();
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        /** Waits until every one of {@code parts} has been written, at most {@code seconds}; true if they were. */
        boolean await(long seconds, String... parts) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            textLock.lock();
            try {
                while (!List.of(parts).stream().allMatch(part -> text.indexOf(part) >= 0)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    written.awaitNanos(left);
                }
                return true;
            } finally {
                textLock.unlock();
            }
        }

        @Override
        public String toString() {
            textLock.lock();
            try {
                return text.toString();
            } finally {
                textLock.unlock();
            }
        }
    }

    @ContractTest(servers = ContractServer.OPENSSH)
    void printsEachLineAsTheHostSendsIt(TestDriver driver, TestServer server) throws Exception {
        Path dir = Files.createTempDirectory("fanout-live-lines");
        Path password = Files.writeString(dir.resolve("password"), server.password().reveal() + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path go = Path.of("/tmp", "fanout-live-lines-" + UUID.randomUUID());
        Host host = server.host(TestServer.PASSWORD_USER);
        String name = host.address() + ":" + host.port() + ": ";
        String command = "echo a; echo err >&2; i=0; while [ ! -e " + go + " ] && [ $i -lt 600 ]; do sleep 0.1; "
                + "i=$((i+1)); done; printf 'b\\nno-\\033newline'";
        WatchedOutput out = new WatchedOutput();
        StringWriter err = new StringWriter();
        var line = FanoutCommand.commandLine();
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        try {
            FutureTask<Integer> exit = new FutureTask<>(() -> line.execute("run", "--driver", driver.id(), "-H",
                    host.toString(), "--password-file", password.toString(), "--known-hosts",
                    server.knownHosts().toString(), "--no-progress", "-c", command));
            Thread.ofPlatform().name("live-lines-cli").start(exit);
            assertTrue(out.await(30, name + "a\n", name + "[stderr] err\n"),
                    "the first lines are printed while the command still runs: " + out + err);
            Files.createFile(go);
            assertEquals(0, exit.get(60, TimeUnit.SECONDS), err.toString());

            List<String> lines = out.toString().lines().toList();
            assertEquals(4, lines.size(), out.toString());
            assertEquals(Set.of(name + "a", name + "[stderr] err"), Set.copyOf(lines.subList(0, 2)));
            assertEquals(List.of(name + "b", name + "no-\\x1bnewline"), lines.subList(2, 4),
                    "the last line, without its newline, at the end; its control character escaped");
        } finally {
            Files.deleteIfExists(go);
        }
    }

    @Test
    void cutsChunksIntoLinesWhateverTheirBoundaries() {
        OutputLines lines = new OutputLines();
        byte[] text = "one\r\ntwo \u00e9\u20ac\nthree".getBytes(StandardCharsets.UTF_8);
        List<String> printed = new ArrayList<>();
        for (byte b : text) {
            printed.addAll(lines.add(new byte[] {b}));
        }
        assertEquals(List.of("one", "two \u00e9\u20ac"), printed, "a CR before a newline dropped; characters whole");
        assertEquals(List.of("three"), lines.rest());
        assertEquals(List.of(), lines.rest(), "nothing left after the rest");
    }

    @Test
    void cutsALineWithoutNewlinesAtTheLimitBetweenCharacters() {
        OutputLines lines = new OutputLines();
        // 3 x 65,536 bytes of three-byte characters: cut three times, at 65,535 bytes, the last whole character.
        List<String> printed = lines.add("\u20ac".repeat(OutputLines.MAX_LINE).getBytes(StandardCharsets.UTF_8));
        String whole = "\u20ac".repeat(OutputLines.MAX_LINE / 3);
        assertEquals(List.of(whole, whole, whole), printed);
        assertEquals(List.of("\u20ac"), lines.rest());
    }
}
