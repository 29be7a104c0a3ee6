package dev.fanout.internal.transfer;

/**
 * One entry of a directory tree to transfer.
 *
 * @param path its path under the tree's root, parts joined by {@code /}; empty for the root
 * @param kind what is done with it
 * @param mode its permission bits (0777: setuid, setgid and sticky bits are not copied)
 * @param description what it is, for an entry that is skipped ({@code a symbolic link})
 */
record TreeEntry(String path, Kind kind, int mode, String description) {

    /** What a tree transfer does with an entry. */
    enum Kind {
        /** Made where missing, then given its mode once its content is in. */
        DIRECTORY,
        /** Transferred as a single file is. */
        FILE,
        /** Neither followed nor copied: a symbolic link or a special file. */
        SKIPPED
    }

    /** The permission bits a tree transfer copies. */
    static final int MODE_BITS = 0777;

    /** The path of the entry {@code name} in this directory. */
    String child(String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    /** Whether {@code other} is under this directory. */
    boolean holds(String other) {
        return path.isEmpty() || other.startsWith(path + "/");
    }

    /** {@code path} under {@code root}, a remote directory. */
    static String remotePath(String root, String path) {
        if (path.isEmpty()) {
            return root;
        }
        return root.endsWith("/") ? root + path : root + "/" + path;
    }
}
