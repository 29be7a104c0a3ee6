package dev.fanout.spi;

import java.util.Objects;

/**
 * What {@link RemoteFiles#stat} tells of a remote file.
 *
 * @param size its size in bytes
 * @param mode its permission bits (07777)
 * @param type what kind of file it is
 */
public record RemoteFileAttributes(long size, int mode, Type type) {

    /** The kinds of file a POSIX server has, and {@link #UNKNOWN} where the server does not tell. */
    public enum Type {
        /** A regular file. */
        REGULAR("a regular file"),
        /** A directory. */
        DIRECTORY("a directory"),
        /** A symbolic link (only where the server does not follow it). */
        SYMBOLIC_LINK("a symbolic link"),
        /** A named pipe: reading it waits for a writer. */
        FIFO("a named pipe (FIFO)"),
        /** A character device, such as {@code /dev/zero}, which may never end. */
        CHARACTER_DEVICE("a character device"),
        /** A block device. */
        BLOCK_DEVICE("a block device"),
        /** A Unix socket. */
        SOCKET("a socket"),
        /** A device or pipe of a kind the server does not name (SFTP version 4 and later). */
        SPECIAL("a special file"),
        /** The server did not say. */
        UNKNOWN("of a type the server does not tell");

        private static final int FORMAT_MASK = 0170000;

        private final String description;

        Type(String description) {
            this.description = description;
        }

        /** The type a POSIX {@code st_mode} holds in its format bits ({@code S_IFMT}); {@link #UNKNOWN} for none. */
        public static Type ofPosixMode(int mode) {
            return switch (mode & FORMAT_MASK) {
                case 0100000 -> REGULAR;
                case 0040000 -> DIRECTORY;
                case 0120000 -> SYMBOLIC_LINK;
                case 0010000 -> FIFO;
                case 0020000 -> CHARACTER_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0140000 -> SOCKET;
                default -> UNKNOWN;
            };
        }

        /** For messages, e.g. {@code a named pipe (FIFO)}. */
        public String description() {
            return description;
        }
    }

    /** Rejects a null type. */
    public RemoteFileAttributes {
        Objects.requireNonNull(type, "type");
    }

    /** True for a directory. */
    public boolean directory() {
        return type == Type.DIRECTORY;
    }
}
