package dev.fanout.cli;

import dev.fanout.Host;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;

/**
 * Reads the host records of a results file that fanout wrote: the JSON Lines of {@code --out}, the document of
 * {@code --format json}, or several of either, in any layout (a value a line, or pretty-printed), keys in any order,
 * unknown keys ignored. Records of schema version 0 (those without {@code schemaVersion}, written before versions)
 * up to {@link ResultsJson#SCHEMA_VERSION} are read; a newer one is refused. For {@code --resume}, which needs each
 * host and its status, and for {@code fanout merge}, which needs the whole records ({@link #readWhole(Path)}).
 *
 * <p>A file that is not JSON throughout (a line torn by a killed run) is read again a line at a time: each line that
 * holds whole values is read, each other line becomes a {@link Problem}. An object that is JSON but not a record (a
 * key missing or of the wrong type) is a problem too, at the line where it starts. The caller decides whether
 * problems are skipped. Text is read as UTF-8 with malformed bytes replaced, so a line cut inside a character reads.
 */
final class ResultRecords {

    /**
     * One host's result as read.
     *
     * @param host the host
     * @param status how it ended: {@code ok}, {@code failed}, ... (as written; a later version may add statuses)
     * @param schemaVersion the version of the schema it was written with, 0 for none
     * @param line the line of the file its object starts on
     * @param json the whole record as read (see {@link Json#read(Path)}), when {@link #readWhole(Path)} read it;
     *     else empty
     */
    record HostRecord(Host host, String status, int schemaVersion, int line, Map<String, Object> json) {

        /** A record without its JSON, as {@link #read(Path)} reads it. */
        HostRecord(Host host, String status, int schemaVersion, int line) {
            this(host, status, schemaVersion, line, Map.of());
        }

        /** Keeps the JSON unmodifiable. */
        HostRecord {
            json = Collections.unmodifiableMap(new LinkedHashMap<>(json));
        }

        /** Whether the host ended ok. */
        boolean ok() {
            return status.equals("ok");
        }
    }

    /**
     * A part of the file that holds no record.
     *
     * @param line the line it starts on
     * @param reason what is wrong with it, in a few words
     */
    record Problem(int line, String reason) {
    }

    /**
     * What a file holds.
     *
     * @param file the file
     * @param records the records, in the file's order
     * @param problems the parts that are not records, in the file's order
     */
    record Contents(Path file, List<HostRecord> records, List<Problem> problems) {

        /** Copies the lists. */
        Contents {
            records = List.copyOf(records);
            problems = List.copyOf(problems);
        }
    }

    private ResultRecords() {
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read, and naming the file, the line and the
     *     version if a record's schema version is newer than this release reads
     */
    static Contents read(Path file) {
        return read(file, false);
    }

    /**
     * Reads {@code file} as {@link #read(Path)} does, each record with its whole JSON ({@link HostRecord#json()}).
     *
     * @throws IllegalArgumentException as {@link #read(Path)} does
     */
    static Contents readWhole(Path file) {
        return read(file, true);
    }

    private static Contents read(Path file, boolean keepJson) {
        try {
            return asOneStream(file, keepJson);
        } catch (JacksonIOException e) {
            throw unreadable(file, e);
        } catch (JacksonException malformed) {
            return byLine(file, keepJson);
        }
    }

    /** The file as one stream of JSON values; throws at the first malformed one. */
    private static Contents asOneStream(Path file, boolean keepJson) {
        Collector collector = new Collector(file, 0, keepJson);
        try (JsonParser parser = Json.parser(utf8(file))) {
            while (parser.nextToken() != null) {
                collector.value(parser);
            }
        }
        return new Contents(file, collector.records, collector.problems);
    }

    /** The file a line at a time: a line is read if it holds whole values, else it is a problem. */
    private static Contents byLine(Path file, boolean keepJson) {
        List<HostRecord> records = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(utf8(file))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Collector collector = new Collector(file, number - 1, keepJson);
                try (JsonParser parser = Json.parser(new StringReader(line))) {
                    while (parser.nextToken() != null) {
                        collector.value(parser);
                    }
                    records.addAll(collector.records);
                    problems.addAll(collector.problems);
                } catch (JacksonIOException e) {
                    throw unreadable(file, e);
                } catch (JacksonException e) {
                    problems.add(new Problem(number, "not whole JSON (a run killed while writing it?)"));
                }
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return new Contents(file, records, problems);
    }

    /** A reader that replaces malformed UTF-8, as {@link InputStreamReader} with a charset does. */
    private static Reader utf8(Path file) {
        try {
            return new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static IllegalArgumentException unreadable(Path file, Exception e) {
        Throwable cause = e instanceof JacksonIOException && e.getCause() != null ? e.getCause() : e;
        return new IllegalArgumentException("cannot read results file " + file + ": " + cause.getMessage(), e);
    }

    /** Turns the values of one parser into records and problems. */
    private static final class Collector {

        private static final BigInteger NEWEST = BigInteger.valueOf(ResultsJson.SCHEMA_VERSION);

        private final Path file;
        private final int lineOffset;
        private final boolean keepJson;
        private final List<HostRecord> records = new ArrayList<>();
        private final List<Problem> problems = new ArrayList<>();

        /** {@code lineOffset}: the lines of the file before the parser's first. */
        Collector(Path file, int lineOffset, boolean keepJson) {
            this.file = file;
            this.lineOffset = lineOffset;
            this.keepJson = keepJson;
        }

        /** The value at the parser's current token, a record or a document; the parser is left at its end. */
        void value(JsonParser parser) {
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                problems.add(new Problem(line(parser), "not a JSON object"));
                parser.skipChildren();
                return;
            }
            object(parser, true);
        }

        private int line(JsonParser parser) {
            return lineOffset + parser.currentTokenLocation().getLineNr();
        }

        /**
         * A host record, or with {@code mayBeDocument} a document whose {@code hosts} are records; a document's
         * hosts are read one at a time, so that only one is held at once.
         */
        private void object(JsonParser parser, boolean mayBeDocument) {
            int line = line(parser);
            Map<String, Object> fields = new LinkedHashMap<>();
            boolean document = false;
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken token = parser.nextToken();
                if (mayBeDocument && name.equals("hosts") && token == JsonToken.START_ARRAY) {
                    document = true;
                    hosts(parser);
                } else {
                    fields.put(name, Json.value(parser));
                }
            }
            BigInteger version = version(fields.getOrDefault("schemaVersion", 0));
            if (version == null) {
                problems.add(new Problem(line, "\"schemaVersion\" is not a version number"));
            } else if (version.compareTo(NEWEST) > 0) {
                throw new IllegalArgumentException(file + ":" + line + ": results of schema version " + version
                        + ", newer than this fanout reads (" + ResultsJson.SCHEMA_VERSION + " and older): use a "
                        + "newer fanout");
            } else if (!document) {
                record(line, version.intValue(), fields);
            }
        }

        /** A whole number of at least 0, else null. */
        private static BigInteger version(Object value) {
            BigInteger version = switch (value) {
                case Integer number -> BigInteger.valueOf(number);
                case Long number -> BigInteger.valueOf(number);
                case BigInteger number -> number;
                default -> null;
            };
            return version == null || version.signum() < 0 ? null : version;
        }

        private void hosts(JsonParser parser) {
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() == JsonToken.START_OBJECT) {
                    object(parser, false);
                } else {
                    problems.add(new Problem(line(parser), "not a JSON object"));
                    parser.skipChildren();
                }
            }
        }

        private void record(int line, int version, Map<String, Object> fields) {
            String missing = !(fields.get("host") instanceof String) ? "host"
                    : !(fields.get("port") instanceof Integer) ? "port"
                    : !(fields.get("user") instanceof String) ? "user"
                    : !(fields.get("status") instanceof String) ? "status" : null;
            if (missing != null) {
                problems.add(new Problem(line, "not a host record: no \"" + missing + "\" of the right type"));
                return;
            }
            try {
                Host host = new Host((String) fields.get("host"), (Integer) fields.get("port"),
                        (String) fields.get("user"));
                records.add(new HostRecord(host, (String) fields.get("status"), version, line,
                        keepJson ? fields : Map.of()));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(line, "not a host record: " + e.getMessage()));
            }
        }
    }
}
