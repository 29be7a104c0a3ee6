package dev.fanout.hostkey;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OpenSSH known_hosts file, read once and kept in memory, checked for every connection without locking.
 *
 * <p>Design: lookups read an immutable snapshot of the entries, so 5,000 concurrent handshakes never contend. The
 * snapshot indexes entries by their plain host names, so a check costs the same with 5 or 5,000 lines; only wildcard,
 * negated and hashed entries are matched one by one. Appends (trust on first use) take an in-process {@link
 * ReentrantLock} and a file lock, re-check under them so two connections to the same host add its key once, then write
 * one line and publish a new snapshot.
 *
 * <p>As OpenSSH does, a malformed line or one with an unknown {@code @marker} is skipped with a warning naming the
 * file and line; {@code @cert-authority} lines are skipped silently (fanout does not use host certificates).
 */
public final class KnownHostsFile {

    private static final Logger LOG = LoggerFactory.getLogger(KnownHostsFile.class);

    private final Path file;
    private final List<String> skipped;
    private final ReentrantLock appendLock = new ReentrantLock();
    private volatile Snapshot entries;

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
    }

    private KnownHostsFile(Path file, List<KnownHostsEntry> entries, List<String> skipped) {
        this.file = file;
        this.entries = Snapshot.of(entries);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * Reads the file; a missing file reads as empty. Malformed lines are skipped and logged as warnings.
     *
     * @throws UncheckedIOException if the file exists but cannot be read
     */
    public static KnownHostsFile load(Path file) {
        List<KnownHostsEntry> parsed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read known_hosts file " + file + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < lines.size(); i++) {
                try {
                    KnownHostsEntry entry = KnownHostsEntry.parse(lines.get(i), i + 1);
                    if (entry != null) {
                        parsed.add(entry);
                    }
                } catch (IllegalArgumentException e) {
                    String warning = file + ":" + (i + 1) + ": " + e.getMessage() + "; line skipped";
                    LOG.warn(warning);
                    skipped.add(warning);
                }
            }
        }
        return new KnownHostsFile(file, List.copyOf(parsed), skipped);
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
        String name = host.knownHostsName();
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
        return check(entries, host, keyBlob);
    }

    /**
     * Checks the key and, if no key at all is known for the host, appends it. A key that conflicts with an entry is
     * never added.
     */
    public HostKeyVerdict checkOrAdd(Host host, byte[] keyBlob) {
        HostKeyVerdict verdict = check(host, keyBlob);
        if (verdict.status() != Status.UNKNOWN) {
            return verdict;
        }
        appendLock.lock();
        try {
            verdict = check(host, keyBlob);
            if (verdict.status() != Status.UNKNOWN) {
                return verdict;
            }
            String line = host.knownHostsName() + " " + verdict.keyType() + " "
                    + Base64.getEncoder().encodeToString(keyBlob);
            int lineNumber = append(line);
            List<KnownHostsEntry> updated = new ArrayList<>(entries.all());
            updated.add(KnownHostsEntry.parse(line, lineNumber));
            entries = Snapshot.of(updated);
            return new HostKeyVerdict(Status.ADDED, verdict.keyType(), verdict.fingerprint(),
                    file + ":" + lineNumber);
        } finally {
            appendLock.unlock();
        }
    }

    private int append(String line) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND); FileLock ignored = channel.lock()) {
                String existing = Files.readString(file, StandardCharsets.UTF_8);
                String prefix = existing.isEmpty() || existing.endsWith("\n") ? "" : "\n";
                channel.write(ByteBuffer.wrap((prefix + line + "\n").getBytes(StandardCharsets.UTF_8)));
                return (int) existing.lines().count() + 1;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to known_hosts file " + file + ": " + e.getMessage(), e);
        }
    }

    private HostKeyVerdict check(Snapshot snapshot, Host host, byte[] keyBlob) {
        String keyType = SshKeys.keyType(keyBlob);
        String fingerprint = SshKeys.fingerprint(keyBlob);
        String name = host.knownHostsName();
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
        return new HostKeyVerdict(Status.UNKNOWN, keyType, fingerprint, file.toString());
    }
}
