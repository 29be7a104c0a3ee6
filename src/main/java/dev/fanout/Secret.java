package dev.fanout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A password, passphrase or private key text that must never be shown.
 *
 * <p>{@link #toString()} always prints {@code ******}, so a secret placed in a record, a log line or an exception
 * message by mistake reveals nothing. The value is read only through {@link #reveal()} (drivers call it when they
 * authenticate). Immutable and thread-safe; {@link #equals(Object)} is identity, so secrets are never compared by
 * accident in maps or logs.
 */
public final class Secret {

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    /** Wraps a copy of the given characters. */
    public static Secret of(char[] value) {
        return new Secret(Objects.requireNonNull(value, "value").clone());
    }

    /** Wraps the given text. */
    public static Secret of(String value) {
        return new Secret(Objects.requireNonNull(value, "value").toCharArray());
    }

    /**
     * Reads a secret from an environment variable.
     *
     * @throws IllegalArgumentException if the variable is unset or empty (the message names the variable only)
     */
    public static Secret fromEnv(String variable) {
        String text = System.getenv(variable);
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("environment variable " + variable + " is not set or empty");
        }
        return of(text);
    }

    /**
     * Reads a secret from the first line of a file (a trailing newline is dropped).
     *
     * @throws IOException if the file cannot be read
     */
    public static Secret fromFile(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String line = newline >= 0 ? text.substring(0, newline) : text;
        return of(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
    }

    /** The secret text. Call only where it is handed to the SSH library, never to print it. */
    public String reveal() {
        return new String(value);
    }

    /** The secret as UTF-8 bytes, a fresh copy the caller may wipe. */
    public byte[] revealBytes() {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(value));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return "******";
    }
}
