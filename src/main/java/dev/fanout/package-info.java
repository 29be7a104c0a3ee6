/**
 * The API: {@link dev.fanout.Fanout} (built once, thread-safe) runs a {@link dev.fanout.Task} on hosts and returns a
 * {@link dev.fanout.RunReport} with exactly one {@link dev.fanout.HostResult} per host. Values are records, validated
 * when made. Failures a caller can act on are the exceptions of {@link dev.fanout.error}.
 */
package dev.fanout;
