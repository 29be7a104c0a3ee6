package dev.fanout.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code --out} file: one JSON line per host, appended in one write each, so a run killed at any moment leaves
 * whole lines and at most one torn last line. A file that does not end in a newline (a run killed half-way
 * through a line) gets one first, so the first new line starts on a line of its own. The first failed write (a
 * full disk, an I/O error) closes the file and interrupts the thread running the hosts, which stops the run; later
 * lines are dropped without another error. Writes go through a {@link FileOutputStream}, which an interrupt does
 * not close (a {@code FileChannel} would be closed by a cancelled host's interrupted thread). Thread-safe.
 */
final class ResultsFile implements AutoCloseable {

    private final Path path;
    private final FileOutputStream stream;
    private final ReentrantLock lock = new ReentrantLock();
    private Thread runner;
    private IOException failure;
    private boolean stoppedRun;

    private ResultsFile(Path path, FileOutputStream stream, Thread runner) {
        this.path = path;
        this.stream = stream;
        this.runner = runner;
    }

    /**
     * Opens {@code path} for appending, creating it if absent.
     *
     * @param runner the thread that runs the hosts, interrupted when a write fails
     * @throws IllegalArgumentException naming the file if it cannot be opened or its torn last line ended
     */
    static ResultsFile open(Path path, Thread runner) {
        try {
            FileOutputStream stream = new FileOutputStream(path.toFile(), true);
            try {
                if (!endsWithNewline(path)) {
                    stream.write('\n');
                }
            } catch (IOException e) {
                stream.close();
                throw e;
            }
            return new ResultsFile(path, stream, runner);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open " + path + " for results: " + e.getMessage(), e);
        }
    }

    /** Whether the file is empty or ends with a newline; a device such as /dev/null has length 0. */
    private static boolean endsWithNewline(Path path) throws IOException {
        try (RandomAccessFile reader = new RandomAccessFile(path.toFile(), "r")) {
            long length = reader.length();
            if (length == 0) {
                return true;
            }
            reader.seek(length - 1);
            return reader.read() == '\n';
        }
    }

    /** Appends {@code line} and a newline in one write; after a failed write, does nothing. */
    void append(String line) {
        lock.lock();
        try {
            if (failure != null) {
                return;
            }
            try {
                stream.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                failure = e;
                closeQuietly();
                if (runner != null) {
                    runner.interrupt();
                    stoppedRun = true;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The run has returned: from now on a failed write no longer interrupts the runner. */
    void runEnded() {
        lock.lock();
        try {
            runner = null;
        } finally {
            lock.unlock();
        }
    }

    /** The one line that says what could not be written, and that the run stopped for it, if a write failed. */
    Optional<String> failure() {
        lock.lock();
        try {
            return failure == null ? Optional.empty()
                    : Optional.of("cannot write results to " + path + ": " + failure.getMessage() + (stoppedRun
                            ? "; the run was stopped (running hosts cancelled, the rest skipped)" : ""));
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the write failure is the error reported
        }
    }

    /** Closes the file; a failure to close (a write error reported late) counts as a failed write. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (failure == null) {
                try {
                    stream.close();
                } catch (IOException e) {
                    failure = e;
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
