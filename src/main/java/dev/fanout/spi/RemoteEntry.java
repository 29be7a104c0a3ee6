package dev.fanout.spi;

import java.util.Objects;

/**
 * One entry of a remote directory, from {@link RemoteFiles#list}.
 *
 * @param name its name in the directory: never empty, {@code .}, {@code ..}, nor holding a {@code /}
 * @param attributes its attributes, not following a symbolic link (an entry that is a link is
 *     {@link RemoteFileAttributes.Type#SYMBOLIC_LINK})
 */
public record RemoteEntry(String name, RemoteFileAttributes attributes) {

    /** Rejects null components and a name that is not one entry's (a server could send {@code ../x}). */
    public RemoteEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(attributes, "attributes");
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("not the name of a directory entry: '" + name + "'");
        }
    }
}
