package dev.fanout;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one output stream of a command produced: the bytes kept (up to the output limit), how many bytes the command
 * wrote in all, and whether anything was dropped.
 *
 * <p>Immutable. {@link #text()} decodes UTF-8 and replaces invalid bytes with U+FFFD; it never throws.
 */
public final class Output {

    private static final Output EMPTY = new Output(new byte[0], 0);

    private final byte[] bytes;
    private final long totalBytes;

    private Output(byte[] bytes, long totalBytes) {
        this.bytes = bytes;
        this.totalBytes = totalBytes;
    }

    /**
     * The output of a stream that carried {@code totalBytes} bytes, of which {@code kept} were kept.
     *
     * @param kept the bytes kept (copied)
     * @param totalBytes how many bytes the stream carried, at least {@code kept.length}
     */
    public static Output of(byte[] kept, long totalBytes) {
        if (totalBytes < kept.length) {
            throw new IllegalArgumentException("total " + totalBytes + " is less than kept " + kept.length);
        }
        return kept.length == 0 && totalBytes == 0 ? EMPTY : new Output(kept.clone(), totalBytes);
    }

    /** The bytes kept, a copy. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** How many bytes were kept. */
    public int size() {
        return bytes.length;
    }

    /** How many bytes the stream carried, kept or not. */
    public long totalBytes() {
        return totalBytes;
    }

    /** True when bytes past the output limit were dropped. */
    public boolean truncated() {
        return totalBytes > bytes.length;
    }

    /** The kept bytes as UTF-8 text, invalid sequences replaced by U+FFFD. */
    public String text() {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder cannot fail", e);
        }
    }

    /** True when the kept bytes are valid UTF-8. */
    public boolean isValidUtf8() {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Output that && totalBytes == that.totalBytes && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes) * 31 + Long.hashCode(totalBytes);
    }

    @Override
    public String toString() {
        return "Output[" + bytes.length + " of " + totalBytes + " bytes]";
    }
}
