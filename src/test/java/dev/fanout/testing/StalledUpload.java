package dev.fanout.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.HostSession;
import dev.fanout.Step;
import dev.fanout.TransferResult;
import dev.fanout.UploadSource;
import dev.fanout.error.TransferFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An upload running on another thread whose source serves one MiB, then waits for {@link #resume()}, then serves
 * zeros until the upload fails. Its time limit doubles while the upload timed out before its source was read (a
 * loaded machine), so the test never depends on how fast the server is.
 */
public final class StalledUpload {
    private final CountDownLatch stalled = new CountDownLatch(1);
    private final CountDownLatch resumed = new CountDownLatch(1);
    private final AtomicBoolean reached = new AtomicBoolean();
    private Future<TransferResult> transfer;

    /** Starts the upload of its source to {@code target}, first with {@code firstLimit}, and waits for its stall. */
    public static StalledUpload start(HostSession session, String target, Duration firstLimit, ExecutorService uploader)
            throws Exception {
        for (Duration limit = firstLimit;; limit = limit.multipliedBy(2)) {
            assertTrue(limit.compareTo(firstLimit.multipliedBy(16)) <= 0, "the upload never read its source");
            StalledUpload upload = new StalledUpload();
            Step.Upload step = Step.upload(upload.source(), target).withTimeout(limit);
            upload.transfer = uploader.submit(() -> {
                try {
                    return session.upload(step, bytes -> {
                    });
                } finally {
                    upload.stalled.countDown();
                }
            });
            upload.stalled.await();
            if (upload.reached.get()) {
                return upload;
            }
            ExecutionException early = assertThrows(ExecutionException.class, upload.transfer::get);
            TransferFailedException failure = assertInstanceOf(TransferFailedException.class, early.getCause());
            assertEquals(TransferFailedException.Reason.TIMED_OUT, failure.reason(), failure.getMessage());
        }
    }

    /** The one file in {@code directory} while the upload stalls. */
    public Path temporaryFile(Path directory) throws IOException {
        try (var names = Files.list(directory)) {
            List<Path> found = names.toList();
            assertEquals(1, found.size(), found.toString());
            assertTrue(found.get(0).getFileName().toString().matches("\\.big\\.bin\\.fanout-[0-9a-f]{8}\\.tmp"),
                    found.toString());
            return found.get(0);
        }
    }

    /** Lets the source go on, whatever comes of it: for a test that failed before {@link #resume()}. */
    public void release() {
        resumed.countDown();
    }

    /** Lets the source go on and returns the upload's failure. */
    public TransferFailedException resume() throws InterruptedException {
        resumed.countDown();
        ExecutionException failed = assertThrows(ExecutionException.class, transfer::get);
        return assertInstanceOf(TransferFailedException.class, failed.getCause(), () -> stackTrace(failed));
    }

    private UploadSource source() {
        return new UploadSource() {
            @Override
            public InputStream open() {
                return new InputStream() {
                    private long served;

                    @Override
                    public int read() {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] bytes, int offset, int length) {
                        if (served >= 1 << 20 && !reached.getAndSet(true)) {
                            stalled.countDown();
                            try {
                                resumed.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return -1;
                            }
                        }
                        if (served >= 64 << 20) {
                            return -1;
                        }
                        int count = (int) Math.min(length, (1 << 20) - served % (1 << 20));
                        Arrays.fill(bytes, offset, offset + count, (byte) 0);
                        served += count;
                        return count;
                    }
                };
            }

            @Override
            public long size() {
                return 1 << 20;
            }

            @Override
            public String name() {
                return "big.bin";
            }
        };
    }

    private static String stackTrace(Throwable error) {
        java.io.StringWriter text = new java.io.StringWriter();
        error.printStackTrace(new java.io.PrintWriter(text));
        return text.toString();
    }
}
