package dev.fanout.internal.transfer;

import dev.fanout.internal.transfer.TreeEntry.Kind;
import dev.fanout.spi.RemoteEntry;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A directory tree listed before it is transferred, local or remote, without following symbolic links: every entry
 * in pre-order (a directory before what it holds), each directory's entries by name.
 */
final class TreeListing {

    private static final int DEFAULT_DIRECTORY_MODE = 0755;
    private static final int DEFAULT_FILE_MODE = 0644;

    /** Lists what a directory holds. */
    @FunctionalInterface
    private interface Lister<E extends Exception> {
        List<TreeEntry> children(TreeEntry directory) throws E;
    }

    private TreeListing() {
    }

    /** The tree under a local directory (a link to it is followed; links under it are not). */
    static List<TreeEntry> local(Path root) throws IOException {
        int rootMode = mode(attributes(root), DEFAULT_DIRECTORY_MODE);
        return walk(new TreeEntry("", Kind.DIRECTORY, rootMode, "a directory"), directory -> {
            Path path = directory.path().isEmpty() ? root : root.resolve(directory.path());
            List<TreeEntry> children = new ArrayList<>();
            try (Stream<Path> entries = Files.list(path)) {
                for (Path entry : entries.toList()) {
                    BasicFileAttributes attributes = attributes(entry, LinkOption.NOFOLLOW_LINKS);
                    String child = directory.child(entry.getFileName().toString());
                    if (attributes.isDirectory()) {
                        children.add(new TreeEntry(child, Kind.DIRECTORY,
                                mode(attributes, DEFAULT_DIRECTORY_MODE), "a directory"));
                    } else if (attributes.isRegularFile()) {
                        children.add(new TreeEntry(child, Kind.FILE, mode(attributes, DEFAULT_FILE_MODE),
                                "a regular file"));
                    } else {
                        children.add(new TreeEntry(child, Kind.SKIPPED, 0,
                                attributes.isSymbolicLink() ? "a symbolic link" : "a special file"));
                    }
                }
            }
            return children;
        });
    }

    /** The tree under a remote directory, whose own attributes ({@code stat}, following a link) are given. */
    static List<TreeEntry> remote(RemoteFiles files, String root, RemoteFileAttributes rootAttributes) {
        return walk(new TreeEntry("", Kind.DIRECTORY, rootAttributes.mode() & TreeEntry.MODE_BITS, "a directory"),
                directory -> {
                    List<TreeEntry> children = new ArrayList<>();
                    for (RemoteEntry entry : files.list(TreeEntry.remotePath(root, directory.path()))) {
                        RemoteFileAttributes attributes = entry.attributes();
                        String child = directory.child(entry.name());
                        int mode = attributes.mode() & TreeEntry.MODE_BITS;
                        children.add(switch (attributes.type()) {
                            case DIRECTORY -> new TreeEntry(child, Kind.DIRECTORY, mode, "a directory");
                            // A server that does not tell the type is trusted, as a single download trusts it.
                            case REGULAR, UNKNOWN -> new TreeEntry(child, Kind.FILE, mode, "a regular file");
                            default -> new TreeEntry(child, Kind.SKIPPED, 0, attributes.type().description());
                        });
                    }
                    return children;
                });
    }

    /** Pre-order, without recursion (a deep tree cannot exhaust the stack). */
    private static <E extends Exception> List<TreeEntry> walk(TreeEntry root, Lister<E> lister) throws E {
        List<TreeEntry> listed = new ArrayList<>();
        Deque<TreeEntry> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            TreeEntry entry = pending.pop();
            listed.add(entry);
            if (entry.kind() == Kind.DIRECTORY) {
                List<TreeEntry> children = new ArrayList<>(lister.children(entry));
                children.sort(Comparator.comparing(TreeEntry::path));
                for (int i = children.size() - 1; i >= 0; i--) {
                    pending.push(children.get(i));
                }
            }
        }
        return listed;
    }

    /** The attributes of {@code path}, POSIX ones where the file system has them. */
    private static BasicFileAttributes attributes(Path path, LinkOption... options) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return Files.readAttributes(path, PosixFileAttributes.class, options);
        }
        return Files.readAttributes(path, BasicFileAttributes.class, options);
    }

    /** The permission bits, or {@code fallback} on a file system without them. */
    private static int mode(BasicFileAttributes attributes, int fallback) {
        return attributes instanceof PosixFileAttributes posix ? bits(posix.permissions()) : fallback;
    }

    /** Permission bits as a number, e.g. {@code 0750}. */
    static int bits(Set<PosixFilePermission> permissions) {
        String text = PosixFilePermissions.toString(permissions);
        int bits = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '-') {
                bits |= 0400 >> i;
            }
        }
        return bits;
    }

    /** A number of permission bits (0777 of them) as a set. */
    static Set<PosixFilePermission> permissions(int bits) {
        StringBuilder text = new StringBuilder(9);
        for (int i = 0; i < 9; i++) {
            text.append((bits & (0400 >> i)) == 0 ? '-' : "rwx".charAt(i % 3));
        }
        return PosixFilePermissions.fromString(text.toString());
    }
}
