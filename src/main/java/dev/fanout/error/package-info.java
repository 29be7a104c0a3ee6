/**
 * One sealed family of exceptions, {@link dev.fanout.error.FanoutException}: each failure a caller can act on has its
 * own type, and each carries the host, the {@link dev.fanout.error.Phase}, the driver, whether a retry is safe and
 * the driver's own exception as its cause.
 */
package dev.fanout.error;
