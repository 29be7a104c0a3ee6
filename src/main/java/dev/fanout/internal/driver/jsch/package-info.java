/**
 * The JSch driver ({@code com.github.mwiede:jsch}): the only package that imports JSch. Translates JSch's
 * exceptions into {@link dev.fanout.error} in one place ({@code JschErrors}). Internal.
 */
package dev.fanout.internal.driver.jsch;
