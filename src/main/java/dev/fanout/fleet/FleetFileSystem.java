package dev.fanout.fleet;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated host's file system, in memory: files with contents and modes, and directories. Paths are
 * absolute and normalised by the caller ({@link FleetShell#resolve}). Thread-safe (a host's background jobs and
 * commands may touch it at once); created empty apart from the usual top-level directories.
 */
final class FleetFileSystem {

    /** A file or directory. Files hold their bytes; modes are POSIX permission bits. */
    record Node(boolean directory, byte[] data, int mode) {
    }

    private static final List<String> STANDARD_DIRECTORIES =
            List.of("/", "/tmp", "/root", "/home", "/etc", "/var", "/var/tmp", "/usr", "/usr/bin", "/opt");

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Node> nodes = new TreeMap<>();

    FleetFileSystem(String home) {
        for (String dir : STANDARD_DIRECTORIES) {
            nodes.put(dir, new Node(true, null, 0755));
        }
        nodes.put(home, new Node(true, null, 0755));
    }

    Optional<Node> get(String path) {
        lock.lock();
        try {
            return Optional.ofNullable(nodes.get(path));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes (or appends to) a file.
     *
     * @return null on success, or the error ({@code Directory nonexistent}, {@code Is a directory})
     */
    String write(String path, byte[] data, boolean append) {
        lock.lock();
        try {
            Node parent = nodes.get(parentOf(path));
            if (parent == null || !parent.directory()) {
                return "Directory nonexistent";
            }
            Node existing = nodes.get(path);
            if (existing != null && existing.directory()) {
                return "Is a directory";
            }
            byte[] content = data;
            if (append && existing != null) {
                ByteArrayOutputStream joined = new ByteArrayOutputStream();
                joined.writeBytes(existing.data());
                joined.writeBytes(data);
                content = joined.toByteArray();
            }
            nodes.put(path, new Node(false, content, existing == null ? 0644 : existing.mode()));
            return null;
        } finally {
            lock.unlock();
        }
    }

    boolean chmod(String path, java.util.function.IntUnaryOperator change) {
        lock.lock();
        try {
            Node node = nodes.get(path);
            if (node == null) {
                return false;
            }
            nodes.put(path, new Node(node.directory(), node.data(), change.applyAsInt(node.mode()) & 07777));
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Makes a directory; with {@code parents} also its missing parents. Returns null or the error. */
    String mkdir(String path, boolean parents) {
        lock.lock();
        try {
            Node existing = nodes.get(path);
            if (existing != null) {
                return parents && existing.directory() ? null : "File exists";
            }
            String parent = parentOf(path);
            if (!nodes.containsKey(parent)) {
                if (!parents) {
                    return "No such file or directory";
                }
                String error = mkdir(parent, true);
                if (error != null) {
                    return error;
                }
            }
            nodes.put(path, new Node(true, null, 0755));
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a file, or a directory with {@code recursive}. Returns null or the error. */
    String remove(String path, boolean recursive) {
        lock.lock();
        try {
            Node node = nodes.get(path);
            if (node == null) {
                return "No such file or directory";
            }
            if (node.directory() && !recursive) {
                return "Is a directory";
            }
            nodes.keySet().removeIf(key -> key.equals(path) || key.startsWith(path + "/"));
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** The names directly inside a directory, sorted. */
    List<String> list(String directory) {
        lock.lock();
        try {
            String prefix = directory.equals("/") ? "/" : directory + "/";
            List<String> names = new ArrayList<>();
            for (String key : nodes.keySet()) {
                if (key.startsWith(prefix) && key.length() > prefix.length()
                        && key.indexOf('/', prefix.length()) < 0) {
                    names.add(key.substring(prefix.length()));
                }
            }
            return names;
        } finally {
            lock.unlock();
        }
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
