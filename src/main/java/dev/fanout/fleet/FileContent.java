package dev.fanout.fleet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A simulated file's bytes, immutable, held in chunks so that a large upload never needs one array of its whole
 * size (nor a second one while it grows). Built by {@link Builder}, which accepts writes at any offset as SFTP
 * allows.
 *
 * @param chunks the bytes, every chunk but the last {@link #CHUNK} long
 * @param size the total
 */
record FileContent(List<byte[]> chunks, long size) {

    static final int CHUNK = 256 * 1024;
    static final FileContent EMPTY = new FileContent(List.of(), 0);

    static FileContent of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new FileContent(List.of(bytes.clone()), bytes.length);
    }

    /** All the bytes in one array: for the shell's small files. */
    byte[] bytes() {
        ByteArrayOutputStream joined = new ByteArrayOutputStream((int) Math.min(size, Integer.MAX_VALUE - 8));
        chunks.forEach(joined::writeBytes);
        return joined.toByteArray();
    }

    /** Copies up to {@code length} bytes from {@code offset}; returns how many, -1 at the end. */
    int read(long offset, byte[] into, int length) {
        if (offset >= size) {
            return -1;
        }
        int copied = 0;
        long position = offset;
        while (copied < length && position < size) {
            byte[] chunk = chunkAt(position);
            int within = (int) (position - chunkStart(position));
            int count = Math.min(length - copied, chunk.length - within);
            System.arraycopy(chunk, within, into, copied, count);
            copied += count;
            position += count;
        }
        return copied;
    }

    private byte[] chunkAt(long position) {
        return chunks.size() == 1 ? chunks.get(0) : chunks.get((int) (position / CHUNK));
    }

    private long chunkStart(long position) {
        return chunks.size() == 1 ? 0 : position / CHUNK * CHUNK;
    }

    /** Whether both hold the same bytes (compared chunk by chunk, so two uploads of one file can share memory). */
    boolean sameBytes(FileContent other) {
        if (size != other.size) {
            return false;
        }
        if (chunks.size() != other.chunks.size()) {
            return Arrays.equals(bytes(), other.bytes());
        }
        for (int i = 0; i < chunks.size(); i++) {
            if (!Arrays.equals(chunks.get(i), other.chunks.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Collects writes at any offset (gaps read as zeros). Not thread-safe. */
    static final class Builder {

        private final List<byte[]> chunks = new ArrayList<>();
        private long size;

        /** Starts from existing bytes (a file opened for writing without truncation). */
        Builder(FileContent start) {
            byte[] all = start.bytes();
            write(0, all, 0, all.length);
        }

        Builder() {
        }

        long size() {
            return size;
        }

        void write(long offset, byte[] bytes, int from, int length) {
            long position = offset;
            int done = 0;
            while (done < length) {
                int index = (int) (position / CHUNK);
                while (chunks.size() <= index) {
                    chunks.add(new byte[CHUNK]);
                }
                int within = (int) (position % CHUNK);
                int count = Math.min(length - done, CHUNK - within);
                System.arraycopy(bytes, from + done, chunks.get(index), within, count);
                done += count;
                position += count;
            }
            size = Math.max(size, offset + length);
        }

        /** The content; the last chunk is trimmed to size. */
        FileContent build() {
            if (size == 0) {
                return EMPTY;
            }
            int used = (int) ((size + CHUNK - 1) / CHUNK);
            List<byte[]> kept = new ArrayList<>(chunks.subList(0, used));
            int lastLength = (int) (size - (long) (used - 1) * CHUNK);
            if (lastLength < CHUNK) {
                kept.set(used - 1, Arrays.copyOf(kept.get(used - 1), lastLength));
            }
            return new FileContent(List.copyOf(kept), size);
        }
    }
}
