package dev.fanout.internal.sshconfig;

import java.nio.file.Path;

/**
 * Where a line of configuration comes from, for messages.
 *
 * @param file the file
 * @param line the line number, from 1
 */
public record ConfigSource(Path file, int line) {

    /** {@code FILE:LINE}. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
