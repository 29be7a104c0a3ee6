package dev.fanout.driver.mina;

import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import dev.fanout.spi.RemoteStreams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * MINA's blocking {@link SftpClient} (sshd-sftp) behind fanout's {@link RemoteFiles}; its streams pipeline reads
 * and writes. Renames use {@code posix-rename@openssh.com} when the server offers it (an atomic replace); elsewhere
 * the target is removed first. Failures become {@code TransferFailedException}s through
 * {@link MinaErrors#transferFailure}.
 */
final class MinaFiles implements RemoteFiles {

    /**
     * Bytes per SFTP read or write request. 128 KiB was no faster on loopback; 256 KiB breaks against OpenSSH, whose
     * sftp-server refuses messages over 256 KiB and closes the channel.
     */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private final SftpClient sftp;
    private final String host;

    MinaFiles(SftpClient sftp, String host) {
        this.sftp = sftp;
        this.host = host;
    }

    @Override
    public Optional<RemoteFileAttributes> stat(String path) {
        try {
            SftpClient.Attributes attributes = sftp.stat(path);
            return Optional.of(new RemoteFileAttributes(attributes.getSize(), attributes.getPermissions() & 07777,
                    attributes.isDirectory()));
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw MinaErrors.transferFailure(host, path, "stat", e);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "stat", e);
        }
    }

    @Override
    public void mkdir(String path) {
        try {
            sftp.mkdir(path);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "mkdir", e);
        }
    }

    @Override
    public OutputStream create(String path) {
        OutputStream out;
        try {
            out = sftp.write(path, STREAM_BUFFER_BYTES);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "create", e);
        }
        return RemoteStreams.output(out, (operation, e) -> MinaErrors.transferFailure(host, path, operation, e));
    }

    @Override
    public InputStream open(String path) {
        InputStream in;
        try {
            in = sftp.read(path, STREAM_BUFFER_BYTES);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "open", e);
        }
        return RemoteStreams.input(in, (operation, e) -> MinaErrors.transferFailure(host, path, operation, e));
    }

    @Override
    public void chmod(String path, int mode) {
        try {
            sftp.setStat(path, new SftpClient.Attributes().perms(mode));
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "chmod", e);
        }
    }

    @Override
    public void replace(String from, String to) {
        try {
            OpenSSHPosixRenameExtension posixRename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            if (posixRename.isSupported()) {
                posixRename.posixRename(from, to);
                return;
            }
            if (stat(to).isPresent()) {
                sftp.remove(to);
            }
            sftp.rename(from, to);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, to, "rename", e);
        }
    }

    @Override
    public OptionalLong freeBytes(String path) {
        OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
        if (!statvfs.isSupported()) {
            return OptionalLong.empty();
        }
        try {
            OpenSSHStatExtensionInfo info = statvfs.stat(path);
            return OptionalLong.of(info.f_bavail * info.f_frsize);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void remove(String path) {
        try {
            sftp.remove(path);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "remove", e);
        }
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException | RuntimeException e) {
            // Closing the channel is all that matters; it is closed or going.
        }
    }
}
