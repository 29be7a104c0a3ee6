package dev.fanout.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/** What the transfer contract tests share: a place the test users may write to, content, and its digest. */
final class TransferFixtures {

    private TransferFixtures() {
    }

    /** A new directory in /tmp every test user may write to (the OpenSSH users are not root). */
    static Path sharedDirectory(String prefix) {
        try {
            Path directory = Files.createTempDirectory(Path.of("/tmp"), prefix);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxrwxrwx"));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code size} bytes, the same for the same seed. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The SHA-256 of {@code bytes} in lower-case hex. */
    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
