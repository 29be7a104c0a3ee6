package dev.fanout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The standard input of a command ({@link Command#withStdin(Stdin)}): bytes streamed to it as the host takes them
 * (never read into memory whole), then end of input. Each host opens its own stream, so one source serves a whole run,
 * except {@link #stream(InputStream)}, which serves one host. Implementations are thread-safe.
 */
@FunctionalInterface
public interface Stdin {

    /** A new stream over the input, from its start; fanout closes it. */
    InputStream open() throws IOException;

    /** Bytes in memory (copied). */
    static Stdin bytes(byte[] content) {
        byte[] copy = content.clone();
        return new Stdin() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public String toString() {
                return copy.length + " bytes in memory";
            }
        };
    }

    /**
     * A local file, read afresh for each host.
     *
     * @throws IllegalArgumentException if it is not a readable regular file
     */
    static Stdin file(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("not a readable file: " + file);
        }
        return new Stdin() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }

    /**
     * An open stream, read once: for one host ({@link HostSession#exec(Command)}, or a run of one host). A second
     * host's open fails with an {@link IOException} saying so, and that host fails.
     */
    static Stdin stream(InputStream in) {
        Objects.requireNonNull(in, "in");
        AtomicBoolean taken = new AtomicBoolean();
        return new Stdin() {
            @Override
            public InputStream open() throws IOException {
                if (taken.getAndSet(true)) {
                    throw new IOException("this stdin stream was read already: Stdin.stream serves one host; give "
                            + "Stdin.file or a Stdin that opens a new stream per host");
                }
                return in;
            }

            @Override
            public String toString() {
                return "a stream";
            }
        };
    }
}
