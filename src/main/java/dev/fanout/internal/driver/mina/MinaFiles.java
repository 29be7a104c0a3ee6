package dev.fanout.internal.driver.mina;

import dev.fanout.internal.driver.RemoteStreams;
import dev.fanout.spi.RemoteEntry;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.DefaultCloseableHandle;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.apache.sshd.sftp.common.SftpHelper;

/**
 * MINA's blocking {@link SftpClient} (sshd-sftp) behind fanout's {@link RemoteFiles}; its streams pipeline reads
 * and writes. New files are opened by a request made here, as sshd-sftp's open cannot give a mode. Renames use
 * {@code posix-rename@openssh.com} when the server offers it (an atomic replace); elsewhere the target is removed
 * first. Failures become {@code TransferFailedException}s through {@link MinaErrors#transferFailure}.
 */
final class MinaFiles implements RemoteFiles {

    /**
     * Bytes per SFTP read or write request. 128 KiB was no faster on loopback; 256 KiB breaks against OpenSSH, whose
     * sftp-server refuses messages over 256 KiB and closes the channel.
     */
    private static final int STREAM_BUFFER_BYTES = 64 * 1024;

    private final AbstractSftpClient sftp;
    private final String host;

    MinaFiles(AbstractSftpClient sftp, String host) {
        this.sftp = sftp;
        this.host = host;
    }

    @Override
    public Optional<RemoteFileAttributes> stat(String path) {
        try {
            SftpClient.Attributes attributes = sftp.stat(path);
            return Optional.of(new RemoteFileAttributes(attributes.getSize(), attributes.getPermissions() & 07777,
                    type(attributes)));
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw MinaErrors.transferFailure(host, path, "stat", e);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "stat", e);
        }
    }

    /** From the mode's format bits (version 3, OpenSSH), else from the type field of later versions. */
    private static RemoteFileAttributes.Type type(SftpClient.Attributes attributes) {
        RemoteFileAttributes.Type type = RemoteFileAttributes.Type.ofPosixMode(attributes.getPermissions());
        if (type != RemoteFileAttributes.Type.UNKNOWN) {
            return type;
        }
        return switch (attributes.getType()) {
            case SftpConstants.SSH_FILEXFER_TYPE_REGULAR -> RemoteFileAttributes.Type.REGULAR;
            case SftpConstants.SSH_FILEXFER_TYPE_DIRECTORY -> RemoteFileAttributes.Type.DIRECTORY;
            case SftpConstants.SSH_FILEXFER_TYPE_SYMLINK -> RemoteFileAttributes.Type.SYMBOLIC_LINK;
            case SftpConstants.SSH_FILEXFER_TYPE_FIFO -> RemoteFileAttributes.Type.FIFO;
            case SftpConstants.SSH_FILEXFER_TYPE_CHAR_DEVICE -> RemoteFileAttributes.Type.CHARACTER_DEVICE;
            case SftpConstants.SSH_FILEXFER_TYPE_BLOCK_DEVICE -> RemoteFileAttributes.Type.BLOCK_DEVICE;
            case SftpConstants.SSH_FILEXFER_TYPE_SOCKET -> RemoteFileAttributes.Type.SOCKET;
            case SftpConstants.SSH_FILEXFER_TYPE_SPECIAL -> RemoteFileAttributes.Type.SPECIAL;
            default -> RemoteFileAttributes.Type.UNKNOWN;
        };
    }

    @Override
    public List<RemoteEntry> list(String directory) {
        List<RemoteEntry> entries = new ArrayList<>();
        try (SftpClient.CloseableHandle handle = sftp.openDir(directory)) {
            for (SftpClient.DirEntry entry : sftp.listDir(handle)) {
                String name = entry.getFilename();
                if (!name.equals(".") && !name.equals("..")) {
                    SftpClient.Attributes attributes = entry.getAttributes();
                    entries.add(new RemoteEntry(name, new RemoteFileAttributes(attributes.getSize(),
                            attributes.getPermissions() & 07777, type(attributes))));
                }
            }
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, directory, "list", e);
        } catch (UncheckedIOException e) {
            throw MinaErrors.transferFailure(host, directory, "list", e.getCause());
        } catch (IllegalArgumentException e) {
            throw MinaErrors.transferFailure(host, directory, "list", new IOException(e.getMessage(), e));
        }
        return entries;
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
    public OutputStream createNew(String path, int mode) {
        OutputStream out;
        try {
            out = new SftpOutputStreamAsync(sftp, STREAM_BUFFER_BYTES, path, openNew(path, mode), true);
        } catch (IOException e) {
            throw MinaErrors.transferFailure(host, path, "create", e);
        }
        return RemoteStreams.output(out, (operation, e) -> MinaErrors.transferFailure(host, path, operation, e));
    }

    /**
     * Opens {@code path} for writing as a new file with {@code mode}. sshd-sftp's own open sends no attributes, so
     * the request is made here, in the form of the version the server agreed to: open flags up to version 4, access
     * and disposition from version 5.
     */
    private SftpClient.CloseableHandle openNew(String path, int mode) throws IOException {
        int version = sftp.getVersion();
        Buffer request = new ByteArrayBuffer(path.length() + 64, false);
        request.putString(path, sftp.getNameDecodingCharset());
        if (version < SftpConstants.SFTP_V5) {
            request.putInt(SftpConstants.SSH_FXF_WRITE | SftpConstants.SSH_FXF_CREAT | SftpConstants.SSH_FXF_EXCL);
        } else {
            request.putInt(SftpConstants.ACE4_WRITE_DATA | SftpConstants.ACE4_WRITE_ATTRIBUTES);
            request.putInt(SftpConstants.SSH_FXF_CREATE_NEW);
        }
        SftpClient.Attributes attributes = new SftpClient.Attributes().perms(mode);
        attributes.setType(SftpConstants.SSH_FILEXFER_TYPE_REGULAR);
        SftpHelper.writeAttributes(request, attributes, version);
        Buffer reply = sftp.receive(sftp.send(SftpConstants.SSH_FXP_OPEN, request));
        reply.getInt(); // length
        int type = reply.getUByte();
        reply.getInt(); // request id
        return switch (type) {
            case SftpConstants.SSH_FXP_HANDLE -> new DefaultCloseableHandle(sftp, path, reply.getBytes());
            case SftpConstants.SSH_FXP_STATUS -> throw new SftpException(reply.getInt(), reply.getString());
            default -> throw new SftpException(SftpConstants.SSH_FX_BAD_MESSAGE, "open answered by message " + type);
        };
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
