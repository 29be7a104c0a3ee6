package dev.fanout.internal.hostkey;

import dev.fanout.Host;
import dev.fanout.spi.HostKeyVerdict;
import dev.fanout.spi.HostKeyVerdict.Status;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenSSH known_hosts file, read once and kept in memory, checked for every connection without locking.
 *
 * <p>Design: lookups read an immutable snapshot of the entries, so 5,000 concurrent handshakes never contend. The
 * snapshot indexes entries by their plain host names, so a check costs the same with 5 or 5,000 lines; only wildcard,
 * negated and hashed entries are matched one by one. Appends (trust on first use) take a lock per file shared by the
 * whole JVM (a file lock is per process, so two instances on one file would otherwise collide) and the file lock,
 * read what other writers appended since (the whole file again if it was replaced or shrank), check again, and only
 * then write one line and publish a new snapshot.
 *
 * <p>As OpenSSH does, a malformed line or one with an unknown {@code @marker} is skipped with a warning naming the
 * file and line; {@code @cert-authority} lines are skipped silently (fanout does not use host certificates).
 */
public final class KnownHostsFile {

    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsFile.class);

    /** One lock per real path, for every instance in this JVM. */
    private static final ConcurrentMap<Path, ReentrantLock> APPEND_LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final List<String> skipped;
    private volatile Snapshot entries;
    /** How far the file has been read; changed only under the file's append lock. */
    private Position position;

    /** The entries in file order, indexed: by plain name, and the rest to match one by one. */
    private record Snapshot(List<KnownHostsEntry> all, Map<String, List<KnownHostsEntry>> byName,
            List<KnownHostsEntry> matched) {

        static Snapshot of(List<KnownHostsEntry> all) {
            Map<String, List<KnownHostsEntry>> byName = new HashMap<>();
            List<KnownHostsEntry> matched = new ArrayList<>();
            for (KnownHostsEntry entry : all) {
                List<String> names = entry.literalNames();
                if (names.isEmpty()) {
                    matched.add(entry);
                }
                names.forEach(name -> byName.computeIfAbsent(name, key -> new ArrayList<>()).add(entry));
            }
            return new Snapshot(List.copyOf(all), byName, List.copyOf(matched));
        }

        /** The entries that may match a name, in file order. */
        List<KnownHostsEntry> candidates(String name) {
            List<KnownHostsEntry> named = byName.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
            if (matched.isEmpty()) {
                return named;
            }
            List<KnownHostsEntry> candidates = new ArrayList<>(named);
            candidates.addAll(matched);
            candidates.sort(Comparator.comparingInt(KnownHostsEntry::line));
            return candidates;
        }

        Snapshot plus(List<KnownHostsEntry> more) {
            List<KnownHostsEntry> combined = new ArrayList<>(all);
            combined.addAll(more);
            return of(combined);
        }
    }

    /**
     * What has been read of the file.
     *
     * @param fileKey the file's identity (its inode), null when it did not exist
     * @param length the bytes read
     * @param lines the lines read (a last line without a newline included)
     * @param endsInNewline whether those bytes end in a newline (or are none)
     */
    private record Position(Object fileKey, long length, int lines, boolean endsInNewline) {
        static final Position NONE = new Position(null, 0, 0, true);
    }

    /** Lines parsed from part of the file: the entries, the skipped lines as warnings, and where it ends. */
    private record Chunk(List<KnownHostsEntry> entries, List<String> skipped, int lines, boolean endsInNewline) {
    }

    private KnownHostsFile(Path file, Snapshot entries, Position position, List<String> skipped) {
        this.file = file;
        this.entries = entries;
        this.position = position;
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Reads the file; a missing file reads as empty. Malformed lines are skipped and logged as warnings.
     *
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public static KnownHostsFile load(Path file) {
        if (!Files.exists(file)) {
            return new KnownHostsFile(file, Snapshot.of(List.of()), Position.NONE, List.of());
        }
        try {
            Object fileKey = fileKey(file);
            byte[] bytes = Files.readAllBytes(file);
            Chunk chunk = parse(file, new String(bytes, StandardCharsets.UTF_8), 1);
            return new KnownHostsFile(file, Snapshot.of(chunk.entries()),
                    new Position(fileKey, bytes.length, chunk.lines(), chunk.endsInNewline()), chunk.skipped());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's path. */
    public Path path() {
        return file;
    }

    /** The lines {@link #load} skipped, each as {@code FILE:LINE: reason; line skipped}. */
    public List<String> skippedLines() {
        return skipped;
    }

    /** The types of the keys trusted for a host (not revoked), in file order. */
    public List<String> knownKeyTypes(Host host) {
        return knownKeyTypes(host.knownHostsName());
    }

    /** The types of the keys trusted under a known_hosts name (not revoked), in file order. */
    public List<String> knownKeyTypes(String name) {
        return entries.candidates(name).stream()
                .filter(entry -> !entry.revoked() && entry.matches(name))
                .map(KnownHostsEntry::keyType).distinct().toList();
    }

    /**
     * Checks a key against the entries: TRUSTED; CHANGED when another key of its type is recorded for the host, when
     * only keys of other types are (a genuine server offers a recorded type first, since the drivers ask for those:
     * {@link dev.fanout.spi.HostKeyAlgorithms}) or when the key is revoked; UNKNOWN when no key is recorded.
     */
    public HostKeyVerdict check(Host host, byte[] keyBlob) {
        return check(host.knownHostsName(), keyBlob);
    }

    /** Checks a key recorded under a known_hosts name ({@code address}, {@code [address]:port} or an alias). */
    public HostKeyVerdict check(String name, byte[] keyBlob) {
        return check(entries, name, keyBlob);
    }

    /**
     * Checks the key and, if no key at all is known for the host, appends it. A key that conflicts with an entry is
     * never added; nor is a key when another process has meanwhile recorded one for the host.
     *
     * @throws UncheckedIOException if the file cannot be read or appended to
     */
    public HostKeyVerdict checkOrAdd(Host host, byte[] keyBlob) {
        return checkOrAdd(host.knownHostsName(), keyBlob);
    }

    /** {@link #checkOrAdd(Host, byte[])} for a known_hosts name; a key added is recorded under that name. */
    @SuppressWarnings("try") // the file lock is held for its block, never read
    public HostKeyVerdict checkOrAdd(String name, byte[] keyBlob) {
        HostKeyVerdict verdict = check(name, keyBlob);
        if (verdict.status() != Status.UNKNOWN) {
            return verdict;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                ReentrantLock lock = APPEND_LOCKS.computeIfAbsent(file.toRealPath(), path -> new ReentrantLock());
                lock.lock();
                try (FileLock ignored = channel.lock()) {
                    readAppended(channel);
                    verdict = check(name, keyBlob);
                    if (verdict.status() != Status.UNKNOWN) {
                        return verdict;
                    }
                    int line = append(channel, name + " " + verdict.keyType() + " "
                            + Base64.getEncoder().encodeToString(keyBlob));
                    return new HostKeyVerdict(Status.ADDED, verdict.keyType(), verdict.fingerprint(),
                            file + ":" + line);
                } finally {
                    lock.unlock();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to known_hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads what other writers appended since the last read, or the whole file if it was replaced or shrank. */
    private void readAppended(FileChannel channel) throws IOException {
        Object fileKey = fileKey(file);
        long size = channel.size();
        Position read = position;
        if (Objects.equals(fileKey, read.fileKey()) && size == read.length()) {
            return;
        }
        boolean grown = Objects.equals(fileKey, read.fileKey()) && size > read.length() && read.endsInNewline();
        long from = grown ? read.length() : 0;
        Chunk chunk = parse(file, read(channel, from, size), grown ? read.lines() + 1 : 1);
        entries = grown ? entries.plus(chunk.entries()) : Snapshot.of(chunk.entries());
        position = new Position(fileKey, size, (grown ? read.lines() : 0) + chunk.lines(), chunk.endsInNewline());
    }

    /** Writes one line at the end, after a newline if the file lacks a final one; returns its line number. */
    private int append(FileChannel channel, String text) throws IOException {
        Position read = position;
        ByteBuffer bytes = ByteBuffer.wrap(((read.endsInNewline() ? "" : "\n") + text + "\n")
                .getBytes(StandardCharsets.UTF_8));
        long at = read.length();
        while (bytes.hasRemaining()) {
            at += channel.write(bytes, at);
        }
        int line = read.lines() + 1;
        entries = entries.plus(List.of(KnownHostsEntry.parse(text, line)));
        position = new Position(read.fileKey(), at, line, true);
        return line;
    }

    private static String read(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(to - from));
        while (buffer.hasRemaining() && channel.read(buffer, from + buffer.position()) >= 0) {
            // Reads until the buffer is full or the file ends.
        }
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
    }

    /** Parses lines numbered from {@code firstLine}, skipping malformed ones with a warning logged for each. */
    private static Chunk parse(Path file, String text, int firstLine) {
        List<KnownHostsEntry> parsed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        boolean endsInNewline = lines[lines.length - 1].isEmpty();
        int count = endsInNewline ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            try {
                KnownHostsEntry entry = KnownHostsEntry.parse(lines[i], firstLine + i);
                if (entry != null) {
                    parsed.add(entry);
                }
            } catch (IllegalArgumentException e) {
                String warning = file + ":" + (firstLine + i) + ": " + e.getMessage() + "; line skipped";
                LOG.warn(warning);
                skipped.add(warning);
            }
        }
        return new Chunk(parsed, skipped, count, endsInNewline);
    }

    private static Object fileKey(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private HostKeyVerdict check(Snapshot snapshot, String name, byte[] keyBlob) {
        String keyType = SshKeys.keyType(keyBlob);
        String fingerprint = SshKeys.fingerprint(keyBlob);
        KnownHostsEntry conflict = null;
        KnownHostsEntry otherType = null;
        for (KnownHostsEntry entry : snapshot.candidates(name)) {
            if (!entry.matches(name)) {
                continue;
            }
            if (entry.revoked()) {
                if (entry.sameKey(keyBlob)) {
                    return new HostKeyVerdict(Status.CHANGED, keyType, fingerprint,
                            "a @revoked key at " + file + ":" + entry.line());
                }
            } else if (entry.sameKey(keyBlob)) {
                return new HostKeyVerdict(Status.TRUSTED, keyType, fingerprint, file + ":" + entry.line());
            } else if (entry.keyType().equals(keyType)) {
                conflict = conflict == null ? entry : conflict;
            } else {
                otherType = otherType == null ? entry : otherType;
            }
        }
        if (conflict != null) {
            return new HostKeyVerdict(Status.CHANGED, keyType, fingerprint,
                    "the key recorded at " + file + ":" + conflict.line());
        }
        if (otherType != null) {
            return new HostKeyVerdict(Status.CHANGED, keyType, fingerprint, "the " + otherType.keyType()
                    + " key recorded at " + file + ":" + otherType.line() + " (the host is known by other key types "
                    + "only; a server that has a recorded key offers it first)");
        }
        return new HostKeyVerdict(Status.UNKNOWN, keyType, fingerprint, file + " under the name " + name);
    }
}
