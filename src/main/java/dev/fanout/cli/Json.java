package dev.fanout.cli;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.PrettyPrinter;
import tools.jackson.core.SerializableString;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.JacksonIOException;
import tools.jackson.core.io.CharacterEscapes;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonWriteFeature;
import tools.jackson.core.util.DefaultPrettyPrinter;

/**
 * The command line's JSON, through Jackson's streaming API (jackson-core): the one factory every reader and writer of
 * fanout's JSON uses, and JSON read and written as plain Java values for what has no record type of its own (the
 * gate's inputs, the benchmark results). Written JSON escapes every control character, DEL and C1 too (ESC as
 * backslash-u-001b), so it is safe to {@code cat}; read JSON must be strict JSON, a key at most once per object.
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

    /** A generator writing to {@code out} indented, a value a line, for files people read too. */
    static JsonGenerator prettyGenerator(Writer out) {
        return generator(new ObjectWriteContext.Base() {
            @Override
            public PrettyPrinter getPrettyPrinter() {
                return new DefaultPrettyPrinter();
            }

            @Override
            public boolean hasPrettyPrinter() {
                return true;
            }
        }, out);
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
     * Reads a file holding one JSON value: objects as maps in their order, arrays as lists, integers as {@link Long}
     * (or {@link java.math.BigInteger}), other numbers as {@link Double}, then strings, booleans and null.
     *
     * @throws IllegalArgumentException naming the file, and the line and column of malformed JSON
     */
    static Object read(Path file) {
        try (JsonParser parser = parser(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            return only(parser, file.toString());
        } catch (IOException | JacksonIOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Object only(JsonParser parser, String source) {
        try {
            if (parser.nextToken() == null) {
                throw new IllegalArgumentException(source + ": no JSON value");
            }
            Object value = value(parser);
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException(at(source, parser.currentTokenLocation())
                        + ": more than one JSON value");
            }
            return value;
        } catch (JacksonIOException e) {
            throw e;
        } catch (JacksonException e) {
            throw malformed(source, e);
        }
    }

    /**
     * The value at the parser's current token, which is its first, as {@link #read(Path)} returns values: the
     * parser is left at its last.
     */
    static Object value(JsonParser parser) {
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                    parser.nextToken();
                    object.put(name, value(parser));
                }
                yield object;
            }
            case START_ARRAY -> {
                List<Object> array = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser));
                }
                yield array;
            }
            case VALUE_STRING -> parser.getString();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> true;
            case VALUE_FALSE -> false;
            case VALUE_NULL -> null;
            default -> throw new IllegalStateException("not at a value: " + parser.currentToken());
        };
    }

    /** Writes a value of the kinds {@link #read(Path)} returns. */
    static void write(JsonGenerator generator, Object value) {
        switch (value) {
            case null -> generator.writeNull();
            case Map<?, ?> object -> {
                generator.writeStartObject();
                for (Map.Entry<?, ?> entry : object.entrySet()) {
                    generator.writeName(entry.getKey().toString());
                    write(generator, entry.getValue());
                }
                generator.writeEndObject();
            }
            case List<?> array -> {
                generator.writeStartArray();
                for (Object element : array) {
                    write(generator, element);
                }
                generator.writeEndArray();
            }
            case String text -> generator.writeString(text);
            case Boolean flag -> generator.writeBoolean(flag);
            case java.math.BigInteger number -> generator.writeNumber(number);
            case Double number -> generator.writeNumber(number);
            case Number number -> generator.writeNumber(number.longValue());
            default -> throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    /** Malformed JSON as one line: {@code SOURCE:LINE:COLUMN: what was wrong}. */
    private static IllegalArgumentException malformed(String source, JacksonException e) {
        return new IllegalArgumentException(at(source, e.getLocation()) + ": not valid JSON: "
                + TerminalText.line(e.getOriginalMessage()), e);
    }

    /** {@code source:line:column}, or {@code source} alone when the location is unknown. */
    private static String at(String source, TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return source;
        }
        return source + ":" + location.getLineNr() + ":" + location.getColumnNr();
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
