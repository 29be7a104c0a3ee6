package dev.fanout.internal.pool;

import dev.fanout.spi.SshSession;
import java.util.Objects;

/**
 * A session handed to a run, to give back with {@link SessionSource#release}.
 *
 * @param session the session
 * @param reused whether it served an earlier host or run (it may have died since: a failure to open its first
 *     channel then means "replace it", not "the host failed")
 */
public record Lease(SshSession session, boolean reused) {

    /** Rejects a null session. */
    public Lease {
        Objects.requireNonNull(session, "session");
    }
}
