package dev.fanout.spi;

/**
 * What {@link RemoteFiles#stat} tells of a remote file.
 *
 * @param size its size in bytes
 * @param mode its permission bits (07777)
 * @param directory true for a directory
 */
public record RemoteFileAttributes(long size, int mode, boolean directory) {
}
