package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The SVG chart of a scaling run: well-formed, both log axes labelled, one legend entry per mode and driver. */
class ScalingChartTest {

    @TempDir
    Path dir;

    @Test
    void drawsALinePerModeAndDriverOnLogAxes() throws Exception {
        List<ScalingChart.Point> points = new ArrayList<>();
        for (int hosts : List.of(10, 100, 1000)) {
            points.add(new ScalingChart.Point("PLATFORM(50)", "mina", hosts, hosts / 40.0, 6.0));
            points.add(new ScalingChart.Point("VIRTUAL", "mina", hosts, 0.5 + hosts / 500.0, 3.0));
            points.add(new ScalingChart.Point("VIRTUAL", "jsch", hosts, 0.6 + hosts / 400.0, 4.0));
        }
        // One point only, and a CPU time of 0 that a log axis cannot show: left out of its panel, not an error.
        points.add(new ScalingChart.Point("SERIAL", "mina", 10, 5.1, 0.0));
        Path file = dir.resolve("chart.svg");

        ScalingChart.write("synthetic", ScalingChart.CLIENT_CPU_LABEL, points, file);

        List<String> texts = texts(file);
        assertTrue(texts.containsAll(List.of("synthetic", ScalingChart.HOSTS_LABEL, ScalingChart.SECONDS_LABEL,
                ScalingChart.CLIENT_CPU_LABEL)), texts.toString());
        for (String series : List.of("PLATFORM(50) mina", "VIRTUAL mina", "VIRTUAL jsch", "SERIAL mina")) {
            assertEquals(1, Collections.frequency(texts, series), series + " once in the legend: " + texts);
        }
        // Ticks at 1, 2, 5 x 10^n, as text: hosts from 10 to 1,000 and seconds from 0.25 to 25.
        assertTrue(texts.containsAll(List.of("10", "100", "1,000", "0.5", "1", "2", "5")), texts.toString());
    }

    @Test
    void benchChartsItsResultsFile() throws Exception {
        Path results = dir.resolve("results.json");
        Files.writeString(results, "[" + String.join(",", run("VIRTUAL", "mina", 10, "100ms", "0.6", "8.5"),
                run("VIRTUAL", "mina", 200, "100ms", "1.2", "3.5"), run("ASYNC", "mina", 10, "100ms", "0.7", "\"NaN\""),
                run("VIRTUAL", "mina", 10, "0ms", "0.1", "8.0"), """
                        {"benchmark": "dev.fanout.internal.hostkey.HandshakeCryptoBenchmark.handshake",
                         "params": {}, "primaryMetric": {"score": 0.5}, "secondaryMetrics": {}}""") + "]");
        List<ScalingChart.Point> points = BenchMain.chartPoints(results);
        assertEquals(List.of(new ScalingChart.Point("VIRTUAL 100ms", "mina", 10, 0.6, 8.5),
                new ScalingChart.Point("VIRTUAL 100ms", "mina", 200, 1.2, 3.5),
                new ScalingChart.Point("ASYNC 100ms", "mina", 10, 0.7, Double.NaN),
                new ScalingChart.Point("VIRTUAL 0ms", "mina", 10, 0.1, 8.0)), points);

        Path file = dir.resolve("results.svg");
        ScalingChart.write("bench", ScalingChart.CLIENT_CPU_LABEL, points, file);
        List<String> texts = texts(file);
        for (String series : List.of("VIRTUAL 100ms mina", "ASYNC 100ms mina", "VIRTUAL 0ms mina")) {
            assertEquals(1, Collections.frequency(texts, series), series + " once in the legend: " + texts);
        }
    }

    private static String run(String mode, String driver, int hosts, String latency, String seconds, String cpu) {
        return """
                {"benchmark": "dev.fanout.internal.schedule.RunBenchmark.run", "mode": "ss",
                 "params": {"hosts": "%d", "mode": "%s", "driver": "%s", "latency": "%s"},
                 "primaryMetric": {"score": %s, "scoreUnit": "s/op"},
                 "secondaryMetrics": {"client.cpu.ms.per.host": {"score": %s, "scoreUnit": "ms"}}}
                """.formatted(hosts, mode, driver, latency, seconds, cpu);
    }

    /**
     * The texts of an SVG file, parsed by the JDK's XML parser (which fails on a file that is not well-formed XML),
     * its root checked to be an SVG element. The DTD JFreeSVG names is not fetched.
     */
    static List<String> texts(Path svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        Document document = factory.newDocumentBuilder().parse(svg.toFile());
        assertEquals("svg", document.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", document.getDocumentElement().getNamespaceURI());
        NodeList nodes = document.getElementsByTagNameNS("http://www.w3.org/2000/svg", "text");
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
