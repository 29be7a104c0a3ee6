/**
 * The Apache MINA SSHD driver, blocking and asynchronous: with the fleet, the only code that imports MINA.
 * Translates MINA's exceptions into {@link dev.fanout.error} in one place ({@code MinaErrors}). Internal.
 */
package dev.fanout.internal.driver.mina;
