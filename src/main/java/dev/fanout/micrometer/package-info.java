/**
 * Micrometer metrics of fanout's runs: {@link dev.fanout.micrometer.FanoutMetrics}. Micrometer
 * ({@code io.micrometer:micrometer-core}) is an optional dependency of fanout: this package is for applications that
 * have it already, and fanout brings nothing of it to those that do not.
 */
package dev.fanout.micrometer;
