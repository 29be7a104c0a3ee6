package dev.fanout.cli;

import java.io.Reader;
import java.io.Writer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;

/**
 * The command line's JSON, through Jackson's streaming API (jackson-core): the one factory every reader and writer of
 * fanout's JSON uses. Written JSON escapes every control character, DEL and C1 too (ESC as backslash-u-001b), so it is
 * safe
 * to {@code cat}; read JSON must be strict JSON, a key at most once per object.
 */
final class Json {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .characterEscapes(new ControlEscapes())
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private Json() {
    }

    /** A generator writing to {@code out}, which closing the generator flushes but does not close. */
    static JsonGenerator generator(Writer out) {
        return FACTORY.createGenerator(ObjectWriteContext.empty(), out);
    }

    /** A generator writing to {@code out} with {@code context}'s pretty printer. */
    static JsonGenerator generator(ObjectWriteContext context, Writer out) {
        return FACTORY.createGenerator(context, out);
    }

    /** A parser of {@code in}, which closing the parser closes. */
    static JsonParser parser(Reader in) {
        return FACTORY.createParser(ObjectReadContext.empty(), in);
    }

    /**
     * The escapes fanout has always written: {@code \n}, {@code \r} and {@code \t}, and the backslash-u form of
     * every other C0 character (backspace and form feed too), of DEL and of C1.
     */
    private static final class ControlEscapes extends CharacterEscapes {

        private static final long serialVersionUID = 1L;

        private final int[] ascii;

        ControlEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii['\b'] = ESCAPE_CUSTOM;
            ascii['\f'] = ESCAPE_CUSTOM;
            ascii[0x7f] = ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii.clone();
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            boolean custom = ch == '\b' || ch == '\f' || (ch >= 0x7f && ch <= 0x9f);
            return custom ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
