/**
 * Where runs get their sessions: a direct source that connects for each host, or a keyed pool of authenticated
 * sessions reused across runs. Internal.
 */
package dev.fanout.internal.pool;
