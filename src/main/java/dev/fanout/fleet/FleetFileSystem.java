package dev.fanout.fleet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * One simulated host's file system, in memory: files with contents and modes, and directories. Paths are
 * absolute and normalised by the caller ({@link FleetShell#resolve}, {@link FleetSftp}). Thread-safe (a host's
 * background jobs, commands and SFTP channels may touch it at once); created empty apart from the usual top-level
 * directories.
 *
 * <p>Like a real host it has limits: a user other than root may write only under its home, {@code /tmp} and
 * {@code /var/tmp} (nobody under {@code /proc} and {@code /sys}); and the disk has {@code freeBytes} free
 * (unlimited unless the host has the DISK_FULL fault).
 */
final class FleetFileSystem {

    /** A file or directory; modes are POSIX permission bits. */
    record Node(boolean directory, FileContent content, int mode) {
        /** A file's bytes in one array (small files: the shell's). */
        byte[] data() {
            return content.bytes();
        }
    }

    /** Why a change was refused, worded as the shell would. */
    static final String NO_SUCH_FILE = "No such file or directory";
    static final String PERMISSION_DENIED = "Permission denied";
    static final String NO_SPACE = "No space left on device";
    static final String IS_A_DIRECTORY = "Is a directory";
    static final String FILE_EXISTS = "File exists";

    private static final List<String> STANDARD_DIRECTORIES = List.of("/", "/tmp", "/root", "/home", "/etc", "/var",
            "/var/tmp", "/usr", "/usr/bin", "/opt", "/proc", "/sys");

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Node> nodes = new TreeMap<>();
    private final String home;
    private final boolean root;
    private final SharedContents shared;
    private long freeBytes;

    FleetFileSystem(String home, boolean root, long freeBytes, SharedContents shared) {
        this.home = home;
        this.root = root;
        this.freeBytes = freeBytes;
        this.shared = shared;
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

    /** Whether the login user may change {@code path}. */
    boolean writable(String path) {
        if (under(path, "/proc") || under(path, "/sys")) {
            return false;
        }
        return root || under(path, home) || under(path, "/tmp") || under(path, "/var/tmp");
    }

    private static boolean under(String path, String directory) {
        return path.equals(directory) || path.startsWith(directory.endsWith("/") ? directory : directory + "/");
    }

    /** The bytes free on the disk. */
    long freeBytes() {
        lock.lock();
        try {
            return freeBytes;
        } finally {
            lock.unlock();
        }
    }

    /** Takes {@code bytes} of the free space; false (nothing taken) when there is not that much. */
    boolean reserve(long bytes) {
        lock.lock();
        try {
            if (bytes > freeBytes) {
                return false;
            }
            freeBytes -= bytes;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back space taken by {@link #reserve}. */
    void release(long bytes) {
        lock.lock();
        try {
            freeBytes = freeBytes > Long.MAX_VALUE - bytes ? Long.MAX_VALUE : freeBytes + bytes;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes (or appends to) a file from the shell, taking its space.
     *
     * @return null on success, or the error ({@code Directory nonexistent}, {@code Is a directory}, ...)
     */
    String write(String path, byte[] data, boolean append) {
        lock.lock();
        try {
            Node existing = nodes.get(path);
            byte[] content = data;
            if (append && existing != null && !existing.directory()) {
                byte[] old = existing.data();
                content = new byte[old.length + data.length];
                System.arraycopy(old, 0, content, 0, old.length);
                System.arraycopy(data, 0, content, old.length, data.length);
            }
            if (!reserve(content.length)) {
                return NO_SPACE;
            }
            String error = put(path, FileContent.of(content), 0644);
            if (error != null) {
                release(content.length);
            }
            return error;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Puts a file's content whose space was already {@link #reserve reserved}, keeping the mode of a file it
     * replaces (else {@code mode}) and giving back the replaced file's space.
     *
     * @return null on success, or the error
     */
    String put(String path, FileContent content, int mode) {
        lock.lock();
        try {
            Node parent = nodes.get(parentOf(path));
            if (parent == null || !parent.directory()) {
                return "Directory nonexistent";
            }
            if (!writable(path)) {
                return PERMISSION_DENIED;
            }
            Node existing = nodes.get(path);
            if (existing != null && existing.directory()) {
                return IS_A_DIRECTORY;
            }
            if (existing != null) {
                release(existing.content().size());
            }
            nodes.put(path, new Node(false, shared.share(content), existing == null ? mode : existing.mode()));
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Creates an empty file with {@code mode}, in one step with the check that nothing is at {@code path} (as
     * {@code open(2)} with {@code O_CREAT|O_EXCL}).
     *
     * @return null on success, or the error ({@link #FILE_EXISTS}, ...)
     */
    String createNew(String path, int mode) {
        lock.lock();
        try {
            return nodes.containsKey(path) ? FILE_EXISTS : put(path, FileContent.EMPTY, mode);
        } finally {
            lock.unlock();
        }
    }

    boolean chmod(String path, IntUnaryOperator change) {
        lock.lock();
        try {
            Node node = nodes.get(path);
            if (node == null) {
                return false;
            }
            nodes.put(path, new Node(node.directory(), node.content(), change.applyAsInt(node.mode()) & 07777));
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
                return parents && existing.directory() ? null : FILE_EXISTS;
            }
            String parent = parentOf(path);
            if (!nodes.containsKey(parent)) {
                if (!parents) {
                    return NO_SUCH_FILE;
                }
                String error = mkdir(parent, true);
                if (error != null) {
                    return error;
                }
            }
            if (!writable(path)) {
                return PERMISSION_DENIED;
            }
            nodes.put(path, new Node(true, null, 0755));
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Moves {@code from} to {@code to}, replacing a file there in one step (POSIX rename). Null or the error. */
    String rename(String from, String to) {
        lock.lock();
        try {
            Node moving = nodes.get(from);
            if (moving == null) {
                return NO_SUCH_FILE;
            }
            Node parent = nodes.get(parentOf(to));
            if (parent == null || !parent.directory()) {
                return NO_SUCH_FILE;
            }
            if (!writable(from) || !writable(to)) {
                return PERMISSION_DENIED;
            }
            Node replaced = nodes.get(to);
            if (moving.directory() || (replaced != null && replaced.directory())) {
                return IS_A_DIRECTORY;
            }
            if (replaced != null) {
                release(replaced.content().size());
            }
            nodes.remove(from);
            nodes.put(to, moving);
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
                return NO_SUCH_FILE;
            }
            if (node.directory() && !recursive) {
                return IS_A_DIRECTORY;
            }
            if (!writable(path)) {
                return PERMISSION_DENIED;
            }
            var removed = nodes.entrySet().iterator();
            while (removed.hasNext()) {
                var entry = removed.next();
                if (entry.getKey().equals(path) || entry.getKey().startsWith(path + "/")) {
                    if (!entry.getValue().directory()) {
                        release(entry.getValue().content().size());
                    }
                    removed.remove();
                }
            }
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
