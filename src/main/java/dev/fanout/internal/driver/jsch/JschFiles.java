package dev.fanout.internal.driver.jsch;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpATTRS;
import com.jcraft.jsch.SftpException;
import com.jcraft.jsch.SftpStatVFS;
import dev.fanout.internal.driver.RemoteStreams;
import dev.fanout.spi.RemoteEntry;
import dev.fanout.spi.RemoteFileAttributes;
import dev.fanout.spi.RemoteFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * JSch's {@link ChannelSftp} behind fanout's {@link RemoteFiles}. JSch renames with {@code posix-rename@openssh.com}
 * when the server offers it (an atomic replace); elsewhere the target is removed first. Its streams' failures become
 * {@code TransferFailedException}s here, through {@link JschErrors#transferFailure}. JSch reads {@code *}, {@code ?}
 * and {@code \} in paths as glob characters and escapes (a remove or chmod acts on every file the pattern matches):
 * every path is handed to it escaped.
 */
final class JschFiles implements RemoteFiles {

    private static final String POSIX_RENAME = "posix-rename@openssh.com";
    private static final String STATVFS = "statvfs@openssh.com";

    private final String host;
    private final Session session;
    private final int openTimeoutMillis;
    private volatile ChannelSftp current;
    private volatile JschNewFile writing;
    private volatile boolean closed;
    private boolean stale;

    JschFiles(ChannelSftp sftp, String host, Session session, int openTimeoutMillis) {
        this.current = sftp;
        this.host = host;
        this.session = session;
        this.openTimeoutMillis = openTimeoutMillis;
    }

    /**
     * The channel for the next request. After a stream failed, JSch's channel may still hold the replies of the
     * requests it had in flight, so a request on it could read a stale reply: a new channel replaces it.
     */
    private ChannelSftp sftp() {
        if (stale && !closed) {
            current.disconnect();
            try {
                ChannelSftp fresh = (ChannelSftp) JschSession.newChannel(session, "sftp");
                fresh.connect(openTimeoutMillis);
                current = fresh;
                stale = false;
            } catch (JSchException e) {
                throw JschErrors.transferFailure(host, "sftp", "reopen", e);
            }
        }
        return current;
    }

    @Override
    public Optional<RemoteFileAttributes> stat(String path) {
        try {
            SftpATTRS attributes = sftp().stat(literal(path));
            return Optional.of(new RemoteFileAttributes(attributes.getSize(), attributes.getPermissions() & 07777,
                    RemoteFileAttributes.Type.ofPosixMode(attributes.getPermissions())));
        } catch (SftpException e) {
            if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                return Optional.empty();
            }
            throw JschErrors.transferFailure(host, path, "stat", e);
        }
    }

    @Override
    public List<RemoteEntry> list(String directory) {
        List<RemoteEntry> entries = new ArrayList<>();
        try {
            sftp().ls(literal(directory), entry -> {
                String name = entry.getFilename();
                if (!name.equals(".") && !name.equals("..")) {
                    SftpATTRS attributes = entry.getAttrs();
                    entries.add(new RemoteEntry(name, new RemoteFileAttributes(attributes.getSize(),
                            attributes.getPermissions() & 07777,
                            RemoteFileAttributes.Type.ofPosixMode(attributes.getPermissions()))));
                }
                return ChannelSftp.LsEntrySelector.CONTINUE;
            });
        } catch (SftpException | IllegalArgumentException e) {
            throw JschErrors.transferFailure(host, directory, "list", e);
        }
        return entries;
    }

    @Override
    public void mkdir(String path) {
        try {
            sftp().mkdir(path);
        } catch (SftpException e) {
            throw JschErrors.transferFailure(host, path, "mkdir", e);
        }
    }

    /** Written over a channel of its own ({@link JschNewFile}): ChannelSftp cannot give a mode in the open. */
    @Override
    public OutputStream createNew(String path, int mode) {
        JschNewFile file;
        try {
            file = new JschNewFile(session);
        } catch (JSchException | IOException e) {
            throw JschErrors.transferFailure(host, path, "create", e);
        }
        writing = file;
        try {
            if (closed) {
                throw new IOException("the SFTP channel was closed");
            }
            file.open(path, mode, openTimeoutMillis);
        } catch (JSchException | IOException e) {
            file.abort();
            throw JschErrors.transferFailure(host, path, "create", e);
        }
        return RemoteStreams.output(file, (operation, e) -> JschErrors.transferFailure(host, path, operation, e));
    }

    @Override
    public InputStream open(String path) {
        InputStream in;
        try {
            in = sftp().get(literal(path));
        } catch (SftpException e) {
            throw JschErrors.transferFailure(host, path, "open", e);
        }
        return RemoteStreams.input(in, streamFailure(path));
    }

    /** A failed stream leaves JSch's channel with replies in flight: the next request gets a new channel. */
    private RemoteStreams.Failure streamFailure(String path) {
        return (operation, e) -> {
            stale = true;
            return JschErrors.transferFailure(host, path, operation, e);
        };
    }

    @Override
    public void chmod(String path, int mode) {
        try {
            sftp().chmod(mode, literal(path));
        } catch (SftpException e) {
            throw JschErrors.transferFailure(host, path, "chmod", e);
        }
    }

    @Override
    public void replace(String from, String to) {
        try {
            if (sftp().getExtension(POSIX_RENAME) == null && stat(to).isPresent()) {
                sftp().rm(literal(to));
            }
            sftp().rename(literal(from), literal(to));
        } catch (SftpException e) {
            throw JschErrors.transferFailure(host, to, "rename", e);
        }
    }

    @Override
    public OptionalLong freeBytes(String path) {
        try {
            ChannelSftp sftp = sftp();
            if (sftp.getExtension(STATVFS) == null) {
                return OptionalLong.empty();
            }
            SftpStatVFS vfs = sftp.statVFS(literal(path));
            return OptionalLong.of(vfs.getAvailBlocks() * vfs.getFragmentSize());
        } catch (SftpException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void remove(String path) {
        try {
            sftp().rm(literal(path));
        } catch (SftpException e) {
            throw JschErrors.transferFailure(host, path, "remove", e);
        }
    }

    /**
     * {@code path} as JSch's glob-reading methods take it literally: absolute (JSch would put its working directory,
     * unescaped, before a relative one) with {@code \}, {@code *} and {@code ?} escaped by a backslash. Not for
     * {@code mkdir}, which JSch passes on as given.
     */
    private String literal(String path) throws SftpException {
        String home = path.startsWith("/") ? "" : sftp().pwd();
        String absolute = home.isEmpty() ? path : home + (home.endsWith("/") ? "" : "/") + path;
        StringBuilder escaped = new StringBuilder(absolute.length() + 8);
        for (int i = 0; i < absolute.length(); i++) {
            char c = absolute.charAt(i);
            if (c == '\\' || c == '*' || c == '?') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    @Override
    public void close() {
        closed = true;
        current.disconnect();
        JschNewFile file = writing;
        if (file != null) {
            file.abort();
        }
    }
}
