package dev.fanout.cli;

import dev.fanout.Secret;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * Reads a password from a file only the current user can use: a regular file (not a symbolic link) owned by the
 * current user, with no permission for group or others ({@code mode & 077 == 0}). The first line is the password
 * (a trailing CR is dropped). Messages name the file, never its content.
 *
 * <p>Java 21 cannot stat an open file (there is no public fstat, and the foreign-function API that could call it
 * is final only from Java 22), so the file is checked by path around one open: its attributes are read without
 * following links and checked, it is opened once with {@link LinkOption#NOFOLLOW_LINKS} ({@code O_NOFOLLOW}) and
 * read from that handle only, and then its attributes are read again: the file key (device and inode) must be the
 * same before and after, and the handle's size (which the channel takes from the open file) must match. A file
 * swapped in between is refused; only a swap and a swap back of the same inode between the two reads goes unseen,
 * and that needs someone who can already rename files in its directory.
 */
final class PasswordFile {

    /** Longer than any password; a bigger file is not a password file. */
    private static final int MAX_BYTES = 64 * 1024;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private PasswordFile() {
    }

    /**
     * The password in {@code file}.
     *
     * @throws IllegalArgumentException naming the file if it is not private to the current user or cannot be read
     */
    static Secret read(Path file) {
        try {
            PosixFileAttributes before = checked(file);
            byte[] bytes;
            long openSize;
            try (SeekableByteChannel channel = Files.newByteChannel(file, StandardOpenOption.READ,
                    LinkOption.NOFOLLOW_LINKS)) {
                openSize = channel.size();
                bytes = readAll(file, channel);
            }
            try {
                PosixFileAttributes after = checked(file);
                if (!Objects.equals(before.fileKey(), after.fileKey()) || openSize != before.size()
                        || bytes.length != openSize) {
                    throw new IllegalArgumentException("password file " + file + " changed while it was read");
                }
                return firstLine(file, bytes);
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read password file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The file's own attributes (not a link's target), refused unless it is private to the current user. */
    private static PosixFileAttributes checked(Path file) throws IOException {
        PosixFileAttributes attributes = Files.readAttributes(file, PosixFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS);
        if (attributes.isSymbolicLink()) {
            throw new IllegalArgumentException("password file " + file + " is a symbolic link; name the file "
                    + "itself");
        }
        if (!attributes.isRegularFile()) {
            throw new IllegalArgumentException("password file " + file + " is not a regular file");
        }
        UserPrincipal user = currentUser(file);
        if (!attributes.owner().equals(user)) {
            throw new IllegalArgumentException("password file " + file + " belongs to " + attributes.owner().getName()
                    + ", not to " + user.getName());
        }
        Set<PosixFilePermission> permissions = attributes.permissions();
        if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
            throw new IllegalArgumentException("password file " + file + " may be used by group or others (mode 0"
                    + Integer.toOctalString(mode(permissions)) + "); make it private: chmod 600 " + file);
        }
        return attributes;
    }

    private static UserPrincipal currentUser(Path file) throws IOException {
        String name = System.getProperty("user.name");
        try {
            return file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
        } catch (IOException e) {
            throw new IOException("the current user '" + name + "' is unknown to the system, so the file's owner "
                    + "cannot be checked", e);
        }
    }

    private static int mode(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= bit(permission);
        }
        return mode;
    }

    private static int bit(PosixFilePermission permission) {
        return switch (permission) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
        };
    }

    private static byte[] readAll(Path file, SeekableByteChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(MAX_BYTES + 1);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // reads until the end of the file or one byte past the limit
        }
        byte[] bytes = Arrays.copyOf(buffer.array(), buffer.position());
        Arrays.fill(buffer.array(), (byte) 0);
        if (bytes.length > MAX_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            throw new IllegalArgumentException("password file " + file + " is larger than " + MAX_BYTES / 1024
                    + " KiB: not a password file");
        }
        return bytes;
    }

    /** The first line as a secret; the decoded characters are wiped. */
    private static Secret firstLine(Path file, byte[] bytes) {
        CharBuffer chars;
        try {
            chars = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("password file " + file + " is not UTF-8 text", e);
        }
        try {
            int end = 0;
            while (end < chars.limit() && chars.get(end) != '\n') {
                end++;
            }
            if (end > 0 && chars.get(end - 1) == '\r') {
                end--;
            }
            char[] line = new char[end];
            chars.get(0, line);
            try {
                return Secret.of(line);
            } finally {
                Arrays.fill(line, '\0');
            }
        } finally {
            Arrays.fill(chars.array(), '\0');
        }
    }
}
