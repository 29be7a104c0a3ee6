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
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.JacksonIOException;

/**
 * Reads the host records of a results file that fanout wrote: the JSON Lines of {@code --out}, the document of
 * {@code --format json}, or several of either, in any layout (a value a line, or pretty-printed), keys in any order,
 * unknown keys ignored. Records of schema version 0 (those without {@code schemaVersion}, written before versions)
 * up to {@link ResultsJson#SCHEMA_VERSION} are read; a newer one is refused. For {@code --resume}, and for a command
 * that merges results files.
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
     */
    record HostRecord(Host host, String status, int schemaVersion, int line) {

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
        try {
            return whole(file);
        } catch (JacksonIOException e) {
            throw unreadable(file, e);
        } catch (JacksonException malformed) {
            return byLine(file);
        }
    }

    /** The file as one stream of JSON values; throws at the first malformed one. */
    private static Contents whole(Path file) {
        Collector collector = new Collector(file, 0);
        try (JsonParser parser = Json.parser(utf8(file))) {
            while (parser.nextToken() != null) {
                collector.value(parser);
            }
        }
        return new Contents(file, collector.records, collector.problems);
    }

    /** The file a line at a time: a line is read if it holds whole values, else it is a problem. */
    private static Contents byLine(Path file) {
        List<HostRecord> records = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(utf8(file))) {
            int number = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Collector collector = new Collector(file, number - 1);
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
        private final List<HostRecord> records = new ArrayList<>();
        private final List<Problem> problems = new ArrayList<>();

        /** {@code lineOffset}: the lines of the file before the parser's first. */
        Collector(Path file, int lineOffset) {
            this.file = file;
            this.lineOffset = lineOffset;
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

        /** A host record, or with {@code mayBeDocument} a document whose {@code hosts} are records. */
        private void object(JsonParser parser, boolean mayBeDocument) {
            int line = line(parser);
            Fields fields = new Fields();
            for (String name = parser.nextName(); name != null; name = parser.nextName()) {
                JsonToken token = parser.nextToken();
                switch (name) {
                    case "schemaVersion" -> fields.version = token == JsonToken.VALUE_NUMBER_INT
                            ? parser.getBigIntegerValue() : BigInteger.ONE.negate();
                    case "host" -> fields.address = token == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "port" -> fields.port = token == JsonToken.VALUE_NUMBER_INT
                            && parser.getNumberType() == JsonParser.NumberType.INT ? parser.getIntValue() : null;
                    case "user" -> fields.user = token == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "status" -> fields.status = token == JsonToken.VALUE_STRING ? parser.getString() : null;
                    case "hosts" -> {
                        if (mayBeDocument && token == JsonToken.START_ARRAY) {
                            fields.document = true;
                            hosts(parser);
                        } else {
                            parser.skipChildren();
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            if (fields.version.signum() < 0) {
                problems.add(new Problem(line, "\"schemaVersion\" is not a version number"));
            } else if (fields.version.compareTo(NEWEST) > 0) {
                throw new IllegalArgumentException(file + ":" + line + ": results of schema version "
                        + fields.version + ", newer than this fanout reads (" + ResultsJson.SCHEMA_VERSION
                        + " and older): use a newer fanout");
            } else if (!fields.document) {
                record(line, fields);
            }
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

        private void record(int line, Fields fields) {
            String missing = fields.address == null ? "host" : fields.port == null ? "port"
                    : fields.user == null ? "user" : fields.status == null ? "status" : null;
            if (missing != null) {
                problems.add(new Problem(line, "not a host record: no \"" + missing + "\" of the right type"));
                return;
            }
            try {
                Host host = new Host(fields.address, fields.port, fields.user);
                records.add(new HostRecord(host, fields.status, fields.version.intValue(), line));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(line, "not a host record: " + e.getMessage()));
            }
        }
    }

    /** The keys of one object that records are made of. */
    private static final class Fields {
        BigInteger version = BigInteger.ZERO;
        String address;
        Integer port;
        String user;
        String status;
        boolean document;
    }
}
