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
        FileContent[] chosen = new FileContent[1];
        // Atomic per size: two hosts finishing the same upload at once must end up with one copy, not two.
        lastBySize.compute(content.size(), (size, known) -> {
            FileContent existing = known == null ? null : known.get();
            if (existing != null && existing.sameBytes(content)) {
                chosen[0] = existing;
                return known;
            }
            chosen[0] = content;
            return new WeakReference<>(content);
        });
        return chosen[0];
    }
}
