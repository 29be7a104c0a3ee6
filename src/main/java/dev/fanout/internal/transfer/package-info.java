/**
 * File transfers built once over the driver SPI's {@link dev.fanout.spi.RemoteFiles}, so both drivers upload and
 * download with the same semantics: directories made as {@code mkdir -p} does, atomic replace through a temporary
 * name, size and optional SHA-256 checks, progress, a time limit, and one exception type with a reason.
 */
package dev.fanout.internal.transfer;
