package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.fleet.Fault;
import dev.fanout.fleet.FaultType;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JUnit XML of {@code run}, {@code copy} and {@code fetch} ({@code --junit-out FILE}, {@code --format junit}),
 * read back by the JDK's XML parser: one testsuite, one testcase per host with the same time, status and error
 * type as the JSON results of the same run, hostile output (control characters, invalid UTF-8, U+FFFF, markup and
 * {@code ]]>}) kept well-formed.
 */
class JUnitReportTest {

    private static final String PASSWORD = "junit-report-test";
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** Colour, SOH, markup, a CDATA end, quotes, U+FFFF (bytes XML cannot hold as text) and a newline. */
    private static final String HOSTILE = "printf '\\033[31mred\\001 ]]> <&> \"q\" \\357\\277\\277\\n'";

    @TempDir
    Path dir;

    /**
     * A fleet with faults: {@code --junit-out} beside {@code --format json} writes a testcase per host, named
     * {@code user@address:port}, in input order, with the host's time and, for each host that did not end ok, a
     * failure whose type is the JSON's error type and whose message is its detail; output goes to system-out, made
     * safe as in text output.
     */
    @Test
    void writesATestcasePerHostOfAFleetWithFaultsBesideTheJsonDocument() throws Exception {
        FleetConfig config = FleetConfig.of(7, "root", Secret.of(PASSWORD)).withFaults(List.of(
                Fault.on(FaultType.REFUSE, 1), Fault.on(FaultType.REJECT_CREDENTIALS, 2),
                Fault.on(FaultType.HANG, 3), Fault.on(FaultType.INVALID_UTF8, 4),
                Fault.on(FaultType.HOST_KEY_CHANGED, 5)));
        try (SimulatedFleet fleet = SimulatedFleet.start(config)) {
            Path report = dir.resolve("report.xml");
            CliRun run = CliRun.of(args(fleet, "run", "-c", HOSTILE, "--command-timeout", "3s", "--format", "json",
                    "--junit-out", report.toString()));
            assertEquals(1, run.exitCode(), run.err());

            byte[] bytes = Files.readAllBytes(report);
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), text);
            for (byte b : bytes) {
                assertFalse(b == 0x1b || b == 0x01, "no raw control characters: " + text);
            }
            Element suite = onlySuite(parse(new InputSource(report.toUri().toString())));
            JsonNode hosts = MAPPER.readTree(run.out()).get("hosts");
            assertEquals("fanout run", suite.getAttribute("name"));
            assertEquals("7", suite.getAttribute("tests"));
            assertEquals("4", suite.getAttribute("failures"), "refused, rejected, hung, host key changed");
            assertEquals("0", suite.getAttribute("skipped"));
            assertTrue(suite.getAttribute("timestamp").matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d"),
                    suite.getAttribute("timestamp"));
            List<Element> cases = children(suite, "testcase");
            assertEquals(fleet.hosts().size(), cases.size());
            for (int i = 0; i < cases.size(); i++) {
                assertMatches(fleet.hosts().get(i), hosts.get(i), cases.get(i), "fanout.run");
            }
            assertEquals(List.of("connection_refused", "auth_failed", "command_timeout", "host_key_changed"),
                    cases.stream().flatMap(testcase -> children(testcase, "failure").stream())
                            .map(failure -> failure.getAttribute("type")).toList());
            assertEquals("\u001b[31mred\u0001 ]]> <&> \"q\" \uffff\n", hosts.at("/0/steps/0/stdout").asString());
            String shown = "\\x1b[31mred\\x01 ]]> <&> \"q\" \ufffd\n";
            assertEquals(shown, text(children(cases.get(0), "system-out").get(0)));
            assertTrue(text(children(cases.get(4), "system-out").get(0)).contains("\ufffd"), "invalid UTF-8");
            assertTrue(text.contains("]]&gt;"), text);
        }
    }

    /**
     * {@code --format junit} prints the report on stdout: a non-zero exit is a failure of type {@code failed} with
     * the command's stderr in system-err; a copy's transfers are lines of system-out; hosts a stopped run never
     * started are skipped, with the reason.
     */
    @Test
    void printsTheReportWithStderrTransfersAndSkippedHosts() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(3, "root", Secret.of(PASSWORD)))) {
            CliRun missing = CliRun.of(args(fleet, "run", "-c", "cat /no/such/file", "--format", "junit"));
            assertEquals(1, missing.exitCode(), missing.err());
            Element suite = onlySuite(parse(new InputSource(new StringReader(missing.out()))));
            assertEquals("3", suite.getAttribute("failures"));
            for (Element testcase : children(suite, "testcase")) {
                Element failure = children(testcase, "failure").get(0);
                assertEquals("failed", failure.getAttribute("type"), missing.out());
                assertTrue(failure.getAttribute("message").startsWith("exit 1"), failure.getAttribute("message"));
                assertTrue(text(children(testcase, "system-err").get(0)).contains("/no/such/file"), missing.out());
            }

            Path upload = Files.writeString(dir.resolve("agent.txt"), "agent\n");
            CliRun copy = CliRun.of(args(fleet, "copy", "--format", "junit", "--sha256", upload.toString(),
                    "/tmp/agent/"));
            assertEquals(0, copy.exitCode(), copy.err());
            Element copied = onlySuite(parse(new InputSource(new StringReader(copy.out()))));
            assertEquals("fanout copy", copied.getAttribute("name"));
            assertEquals("0", copied.getAttribute("failures"));
            for (Element testcase : children(copied, "testcase")) {
                assertEquals("fanout.copy", testcase.getAttribute("classname"));
                String out = text(children(testcase, "system-out").get(0));
                assertTrue(
                        out.matches(upload + " -> /tmp/agent/agent.txt \\(6 bytes, \\d+ ms, sha256 [0-9a-f]{64}\\)\n"),
                        out);
            }

            CliRun stopped = CliRun.of(args(fleet, "run", "-c", "hostname", "--max-in-flight", "1", "--out",
                    "/dev/full", "--format", "junit"));
            assertEquals(2, stopped.exitCode(), stopped.err());
            Element stoppedSuite = onlySuite(parse(new InputSource(new StringReader(stopped.out()))));
            List<Element> skipped = children(stoppedSuite, "testcase").stream()
                    .flatMap(testcase -> children(testcase, "skipped").stream()).toList();
            assertFalse(skipped.isEmpty(), stopped.out());
            assertEquals(Integer.toString(skipped.size()), stoppedSuite.getAttribute("skipped"));
            assertTrue(skipped.get(0).getAttribute("message").startsWith("not started"), stopped.out());
        }
    }

    /**
     * A {@code --junit-out} file in a directory that does not exist is exit 2 before any host is contacted; one that
     * cannot be written at the end (here a directory that is not empty) is exit 2 with one line naming it, after the
     * results were printed, and nothing is left beside it.
     */
    @Test
    void refusesAReportThatCannotBeWritten() throws Exception {
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", Secret.of(PASSWORD)))) {
            Path report = dir.resolve("missing/report.xml");
            CliRun run = CliRun.of(args(fleet, "run", "-c", "hostname", "--junit-out", report.toString()));
            assertEquals(2, run.exitCode(), run.err());
            assertEquals(List.of("fanout run: cannot write " + report + ": no directory " + report.getParent()),
                    run.err().lines().toList());
            assertEquals("", run.out());

            Path taken = Files.createDirectories(dir.resolve("reports/report.xml"));
            Files.writeString(taken.resolve("other.xml"), "");
            CliRun late = CliRun.of(args(fleet, "run", "-c", "hostname", "--junit-out", taken.toString()));
            assertEquals(2, late.exitCode(), late.err());
            assertTrue(late.out().startsWith(fleet.hosts().get(0).address() + ":"), late.out());
            List<String> errors = late.err().lines().filter(line -> line.startsWith("fanout run: ")).toList();
            assertEquals(1, errors.size(), late.err());
            assertTrue(errors.get(0).startsWith("fanout run: cannot write " + taken + ": "), late.err());
            try (var left = Files.list(taken.getParent())) {
                assertEquals(List.of(taken), left.toList(), "no temporary file left");
            }
        }
    }

    /** The testcase says what the JSON record of the same host says. */
    private static void assertMatches(Host host, JsonNode record, Element testcase, String classname) {
        assertEquals(host.toString(), testcase.getAttribute("name"));
        assertEquals(classname, testcase.getAttribute("classname"));
        assertEquals(String.format(Locale.ROOT, "%.3f", record.at("/timings/totalMs").asLong() / 1000.0),
                testcase.getAttribute("time"));
        List<Element> failures = children(testcase, "failure");
        if (record.get("status").asString().equals("ok")) {
            assertEquals(List.of(), failures, record.toString());
            return;
        }
        assertEquals(1, failures.size(), record.toString());
        assertEquals(record.at("/error/type").asString(), failures.get(0).getAttribute("type"));
        assertEquals(TerminalText.line(record.get("detail").asString()), failures.get(0).getAttribute("message"));
    }

    private static Document parse(InputSource source) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(source);
    }

    /** The one testsuite under the root testsuites, whose counts it repeats. */
    private static Element onlySuite(Document document) {
        Element root = document.getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        List<Element> suites = children(root, "testsuite");
        assertEquals(1, suites.size());
        Element suite = suites.get(0);
        for (String count : List.of("name", "tests", "failures", "errors", "skipped", "time")) {
            assertEquals(suite.getAttribute(count), root.getAttribute(count), count);
        }
        return suite;
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> children = new ArrayList<>();
        for (Node child = parent.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element && element.getTagName().equals(tag)) {
                children.add(element);
            }
        }
        return children;
    }

    private static String text(Element element) {
        return element.getTextContent();
    }

    /** {@code fanout COMMAND} on the fleet; no host is a blackhole, so a long connect time-out costs nothing. */
    private String[] args(SimulatedFleet fleet, String command, String... extra) throws IOException {
        Path password = dir.resolve("password");
        Files.writeString(password, PASSWORD + "\n");
        Files.setPosixFilePermissions(password, PosixFilePermissions.fromString("rw-------"));
        Path knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
        Path inventory = dir.resolve("hosts.txt");
        fleet.writeInventory(inventory);
        List<String> all = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--password-file",
                password.toString(), "--known-hosts", knownHosts.toString(), "--no-progress", "--connect-timeout",
                "60s"));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }
}
