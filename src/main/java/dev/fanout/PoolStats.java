package dev.fanout;

/**
 * A snapshot of the session pool's counters ({@link Fanout#poolStats()}).
 *
 * @param created sessions connected by the pool
 * @param borrowed loans made (new or reused sessions)
 * @param reused loans of an idle session: connects saved
 * @param destroyed sessions closed by the pool (dead, evicted, or not reusable)
 * @param active sessions on loan now
 * @param idle sessions kept now
 */
public record PoolStats(long created, long borrowed, long reused, long destroyed, int active, int idle) {
}
