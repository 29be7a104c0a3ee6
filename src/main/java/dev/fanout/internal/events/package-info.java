/**
 * fanout's JDK Flight Recorder events ({@code dev.fanout.Connect}, {@code Auth}, {@code Step}, {@code Host}) and
 * the small helpers that begin and commit them where the work happens: in the drivers for the connect and the
 * authentication, in the scheduler for steps and hosts. Outcomes and phases are the stable names of
 * {@link dev.fanout.error.FanoutException#kind()} and {@link dev.fanout.error.Phase#label()}. A recording that does
 * not enable them costs a few field writes per host.
 */
package dev.fanout.internal.events;
