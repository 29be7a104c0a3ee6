/**
 * The driver contract, for authors of SSH drivers: {@link dev.fanout.spi.SshDriver} connects, a
 * {@link dev.fanout.spi.SshSession} runs commands, starts {@link dev.fanout.spi.RemoteProcess}es and opens
 * {@link dev.fanout.spi.RemoteFiles}; drivers with an
 * asynchronous API also implement {@link dev.fanout.spi.AsyncSshDriver}. Drivers are found by
 * {@link java.util.ServiceLoader} through {@link dev.fanout.spi.SshDriverProvider}.
 */
package dev.fanout.spi;
