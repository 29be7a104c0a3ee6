package dev.fanout;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The bytes an upload sends: a local file (streamed, so its size does not matter) or bytes in memory. Each host
 * opens its own stream, so one source serves a whole run. Implementations are immutable and thread-safe.
 */
public interface UploadSource {

    /** A new stream over the bytes, from the start. */
    InputStream open() throws IOException;

    /** The number of bytes {@link #open()} yields. */
    long size();

    /** The file name the source suggests for the remote copy, e.g. {@code install.sh}. */
    String name();

    /**
     * A local file, read afresh for each host.
     *
     * @throws IllegalArgumentException if it is not a readable regular file
     */
    static UploadSource file(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("not a readable file: " + file);
        }
        return new UploadSource() {
            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(file);
            }

            @Override
            public long size() {
                try {
                    return Files.size(file);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read the size of " + file, e);
                }
            }

            @Override
            public String name() {
                return file.getFileName().toString();
            }

            @Override
            public String toString() {
                return file.toString();
            }
        };
    }

    /** Bytes in memory (copied), under a suggested file name. */
    static UploadSource bytes(String name, byte[] content) {
        Objects.requireNonNull(name, "name");
        byte[] copy = content.clone();
        return new UploadSource() {
            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }

            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name + " (" + copy.length + " bytes in memory)";
            }
        };
    }
}
