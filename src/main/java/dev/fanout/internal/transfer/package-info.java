/**
 * File transfers built once over the driver SPI's {@link dev.fanout.spi.RemoteFiles}, so both drivers upload and
 * download with the same semantics: directories made as {@code mkdir -p} does, atomic replace through a temporary
 * name, size and optional SHA-256 checks, progress, a time limit, and one exception type with a reason. Where a
 * server refuses SFTP, the same transfers run over {@link dev.fanout.internal.transfer.ExecFiles}, built over the
 * SPI's {@link dev.fanout.spi.RemoteProcess}.
 */
package dev.fanout.internal.transfer;
