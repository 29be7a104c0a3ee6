package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fanout demo} on a few simulated hosts: several host counts, and its chart. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void runsEachHostCountAndWritesTheChart() throws Exception {
        Path chart = dir.resolve("demo.svg");

        CliRun run = CliRun.of("demo", "--hosts", "5,3", "--latency", "0ms", "--serial-hosts", "2", "--chart",
                chart.toString());

        assertEquals(0, run.exitCode(), run.out() + run.err());
        // Rows per driver: SERIAL on 2 hosts (the counts capped at --serial-hosts), the others on 3 then 5.
        for (String row : List.of("SERIAL +mina +2 ", "PLATFORM\\(50\\) +mina +3 ", "VIRTUAL +mina +5 ",
                "ASYNC +mina +3 ", "ASYNC +mina +5 ", "SERIAL +jsch +2 ", "VIRTUAL +jsch +3 ", "VIRTUAL +jsch +5 ")) {
            assertTrue(run.out().matches("(?s).*\\R" + row + ".*"), row + " in " + run.out());
        }
        assertTrue(run.out().contains("(mina driver, 5 hosts)"), run.out());
        assertTrue(run.out().contains("fanout demo: wrote " + chart), run.out());
        List<String> texts = ScalingChartTest.texts(chart);
        assertTrue(texts.containsAll(List.of(ScalingChart.HOSTS_LABEL, ScalingChart.SECONDS_LABEL,
                DemoCommand.CHART_CPU_LABEL)), texts.toString());
        for (String series : List.of("SERIAL mina", "PLATFORM(50) mina", "VIRTUAL mina", "ASYNC mina", "SERIAL jsch",
                "PLATFORM(50) jsch", "VIRTUAL jsch")) {
            assertEquals(1, Collections.frequency(texts, series), series + " once in the legend: " + texts);
        }
    }

    @Test
    void refusesAHostCountBelowOne() {
        CliRun run = CliRun.of("demo", "--hosts", "5,0", "--chart", dir.resolve("demo.svg").toString());

        assertEquals(FanoutCommand.USAGE_ERROR, run.exitCode());
        assertTrue(run.err().contains("--hosts and --threads must be at least 1"), run.err());
    }
}
