/**
 * fanout's implementation, not API: these packages are not exported from the module and may change in any release.
 * Helpers shared across the layers live here ({@link dev.fanout.internal.Durations}).
 */
package dev.fanout.internal;
