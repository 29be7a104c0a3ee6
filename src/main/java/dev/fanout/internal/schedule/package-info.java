/**
 * The scheduler behind {@code Fanout.run}: one structured scope per run, the run modes (serial, platform threads,
 * virtual threads, asynchronous), limits on hosts and handshakes in flight, batches, deadlines, retries,
 * cancellation, and exactly one result per host whatever is thrown. Internal.
 */
package dev.fanout.internal.schedule;
