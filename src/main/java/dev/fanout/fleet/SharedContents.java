package dev.fanout.fleet;

import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets simulated hosts that receive the same large file share its bytes: the fleet remembers the last large
 * content of each size (weakly), and a new content with the same bytes is replaced by it. So 1,000 hosts given one
 * 1 MiB file hold one copy, not 1,000. Thread-safe.
 */
final class SharedContents {

    private static final long SHARED_FROM_BYTES = 64 * 1024;

    private final ConcurrentHashMap<Long, WeakReference<FileContent>> lastBySize = new ConcurrentHashMap<>();

    FileContent share(FileContent content) {
        if (content.size() < SHARED_FROM_BYTES) {
            return content;
        }
        WeakReference<FileContent> known = lastBySize.get(content.size());
        FileContent existing = known == null ? null : known.get();
        if (existing != null && existing.sameBytes(content)) {
            return existing;
        }
        lastBySize.put(content.size(), new WeakReference<>(content));
        return content;
    }
}
