package dev.fanout.cli;

import dev.fanout.ExecResult;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunReport;
import dev.fanout.StepResult;
import dev.fanout.error.FanoutException;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * A run's results as JUnit XML, the test report format Jenkins, GitLab and GitHub show natively: one
 * {@code testsuite} for the run, one {@code testcase} per host, named {@code user@address:port}, its {@code time} the
 * host's duration in seconds. A host that failed, timed out or was cancelled has a {@code failure}, whose
 * {@code type} is the error type of the JSON results ({@code auth_failed}, ...) or, without an error, the status
 * ({@code failed} for a non-zero exit, {@code timed_out} for the run's deadline, {@code cancelled}), and whose
 * {@code message} is the host's detail line; a skipped host has {@code skipped}. {@code system-out} holds each
 * command's stdout and each transfer, {@code system-err} each command's stderr.
 *
 * <p>Written through the JDK's StAX writer, which escapes markup ({@code <}, {@code &}, {@code >}, so {@code ]]>}
 * too). Text from hosts is first made safe as in text output ({@link TerminalText}: control characters but tab and
 * newline as {@code \xHH}, which XML 1.0 could not hold anyway), and the characters XML cannot hold that remain
 * (U+FFFE, U+FFFF, a lone surrogate) become U+FFFD, as invalid UTF-8 from hosts already has.
 */
final class JUnitReport {

    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss",
            Locale.ROOT);

    private JUnitReport() {
    }

    /**
     * Writes the report of one run.
     *
     * @param out where to write; flushed, not closed
     * @param command the command that ran: {@code run}, {@code copy} or {@code fetch}
     * @param report the run's results
     * @param started when the run started, the suite's timestamp (in this machine's time zone, as JUnit has it)
     * @throws IllegalStateException if writing failed
     */
    static void write(Writer out, String command, RunReport report, Instant started) {
        try {
            XMLStreamWriter xml = FACTORY.createXMLStreamWriter(out);
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            Map<HostStatus, Integer> summary = report.summary();
            int failures = report.results().size() - summary.get(HostStatus.OK) - summary.get(HostStatus.SKIPPED);
            String name = "fanout " + command;
            xml.writeStartElement("testsuites");
            counts(xml, name, report, failures);
            xml.writeCharacters("\n  ");
            xml.writeStartElement("testsuite");
            counts(xml, name, report, failures);
            xml.writeAttribute("timestamp", TIMESTAMP.format(LocalDateTime.ofInstant(
                    started.truncatedTo(ChronoUnit.SECONDS), ZoneId.systemDefault())));
            for (HostResult result : report.results()) {
                xml.writeCharacters("\n    ");
                testcase(xml, "fanout." + command, result);
            }
            xml.writeCharacters("\n  ");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write the JUnit XML: " + e.getMessage(), e);
        }
    }

    /**
     * Writes the report of one run to {@code file}, UTF-8: into a new temporary file beside it (mode as the umask
     * gives), then moved over it in one step, so a CI job never reads half a report.
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path file, String command, RunReport report, Instant started) throws IOException {
        Path temporary = file.toAbsolutePath().resolveSibling("." + file.getFileName() + "."
                + ProcessHandle.current().pid() + ".tmp");
        Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE);
        try {
            try (out) {
                write(out, command, report, started);
            } catch (IllegalStateException e) {
                throw e.getCause() instanceof XMLStreamException xml && xml.getCause() instanceof IOException io ? io
                        : new IOException(e.getMessage(), e);
            }
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void counts(XMLStreamWriter xml, String name, RunReport report, int failures)
            throws XMLStreamException {
        xml.writeAttribute("name", name);
        xml.writeAttribute("tests", Integer.toString(report.results().size()));
        xml.writeAttribute("failures", Integer.toString(failures));
        xml.writeAttribute("errors", "0");
        xml.writeAttribute("skipped", Integer.toString(report.summary().get(HostStatus.SKIPPED)));
        xml.writeAttribute("time", seconds(report.duration()));
    }

    private static void testcase(XMLStreamWriter xml, String classname, HostResult result) throws XMLStreamException {
        xml.writeStartElement("testcase");
        xml.writeAttribute("name", attribute(result.host().toString()));
        xml.writeAttribute("classname", classname);
        xml.writeAttribute("time", seconds(result.timings().total()));
        switch (result.status()) {
            case OK -> {
            }
            case SKIPPED -> {
                xml.writeCharacters("\n      ");
                xml.writeEmptyElement("skipped");
                xml.writeAttribute("message", attribute(result.detail()));
            }
            case FAILED, TIMED_OUT, CANCELLED -> {
                xml.writeCharacters("\n      ");
                xml.writeStartElement("failure");
                xml.writeAttribute("type", result.error().map(FanoutException::kind).orElse(result.status().label()));
                xml.writeAttribute("message", attribute(result.detail()));
                xml.writeCharacters(text(result.detail() + "\n"));
                xml.writeEndElement();
            }
        }
        output(xml, "system-out", stdout(result));
        output(xml, "system-err", stderr(result));
        if (!result.ok() || !stdout(result).isEmpty() || !stderr(result).isEmpty()) {
            xml.writeCharacters("\n    ");
        }
        xml.writeEndElement();
    }

    private static void output(XMLStreamWriter xml, String element, String text) throws XMLStreamException {
        if (!text.isEmpty()) {
            xml.writeCharacters("\n      ");
            xml.writeStartElement(element);
            xml.writeCharacters(text(text));
            xml.writeEndElement();
        }
    }

    /** Each command's stdout, and a line per transfer, as text output shows them (without the host's name). */
    private static String stdout(HostResult result) {
        StringBuilder text = new StringBuilder();
        for (StepResult step : result.steps()) {
            switch (step) {
                case StepResult.Executed executed -> {
                    ExecResult exec = executed.exec();
                    text.append(exec.stdout().text());
                    if (exec.truncated()) {
                        text.append(endLine(text)).append(ResultPrinter.truncation(exec)).append('\n');
                    }
                }
                case StepResult.Transferred transferred -> text.append(endLine(text))
                        .append(ResultPrinter.transferLine(transferred)).append('\n');
                case StepResult.TreeTransferred tree -> {
                    text.append(endLine(text));
                    ResultPrinter.treeLines(tree).forEach(line -> text.append(line).append('\n'));
                }
            }
        }
        return text.toString();
    }

    private static String stderr(HostResult result) {
        StringBuilder text = new StringBuilder();
        for (StepResult step : result.steps()) {
            if (step instanceof StepResult.Executed executed) {
                text.append(executed.exec().stderr().text());
            }
        }
        return text.toString();
    }

    /** A newline if {@code text} holds a last line without one. */
    private static String endLine(StringBuilder text) {
        return text.isEmpty() || text.charAt(text.length() - 1) == '\n' ? "" : "\n";
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0);
    }

    /** Text as XML character data: lines made safe by {@link TerminalText}, newlines kept. */
    static String text(String text) {
        String safe = String.join("\n", TerminalText.lines(text));
        return xmlChars(text.endsWith("\n") ? safe + "\n" : safe);
    }

    /** Text as an attribute value: one line made safe by {@link TerminalText}. */
    static String attribute(String text) {
        return xmlChars(TerminalText.line(text));
    }

    /** U+FFFE, U+FFFF and lone surrogates, which XML 1.0 cannot hold, as U+FFFD. */
    private static String xmlChars(String text) {
        StringBuilder safe = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == '\ufffe' || c == '\uffff' || (Character.isSurrogate(c) && !pair);
            if (bad && safe == null) {
                safe = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (safe != null) {
                safe.append(bad ? '\ufffd' : c);
                if (pair) {
                    safe.append(text.charAt(i + 1));
                }
            }
            if (pair) {
                i++;
            }
        }
        return safe == null ? text : safe.toString();
    }
}
