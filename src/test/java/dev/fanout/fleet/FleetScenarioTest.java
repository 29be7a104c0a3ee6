package dev.fanout.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.internal.Durations;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FleetScenarioTest {

    private static final FleetConfig BASE = FleetConfig.of(10, "root", Secret.of("pw"));

    @Test
    void readsTheShippedScenarios() {
        FleetConfig defaults = FleetScenario.load(Path.of("config/fleet/default.yaml"), BASE);
        assertEquals(500, defaults.hosts());
        assertEquals(Latency.fixed(Duration.ofMillis(100)), defaults.commandLatency());
        assertEquals(0.2, defaults.keyboardInteractiveFraction());
        FleetConfig faults = FleetScenario.load(Path.of("config/fleet/faults.yaml"), BASE);
        assertEquals(9, faults.faults().size());
        Fault full = faults.faults().stream().filter(f -> f.type() == FaultType.DISK_FULL).findFirst().orElseThrow();
        assertEquals(64 * 1024, full.bytes());
        Fault huge = faults.faults().stream().filter(f -> f.type() == FaultType.HUGE_OUTPUT).findFirst().orElseThrow();
        assertEquals(1L << 30, huge.bytes());
        assertEquals(Set.of(40), huge.hosts());
        assertEquals(new Latency(Duration.ofMillis(20), Duration.ofMillis(80)), faults.connectLatency());
    }

    @Test
    void putsTheHostsBehindTheBastionWhenAsked() {
        assertTrue(FleetScenario.apply("bastion: true", BASE).bastion());
        assertFalse(FleetScenario.apply("hosts: 3", BASE).bastion());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetScenario.apply("bastion: yes please",
                BASE)).getMessage().contains("'bastion' must be true or false"));
    }

    @Test
    void namesUnknownKeysAndBadValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetScenario.apply("hostz: 3", BASE))
                .getMessage().contains("unknown key 'hostz'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FleetScenario.apply("faults:\n  - type: melt\n", BASE)).getMessage()
                .contains("unknown fault 'melt'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> FleetScenario.apply("faults:\n  - type: refuse\n    fractoin: 1\n", BASE))
                .getMessage().contains("faults[0].fractoin"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetScenario.apply("latency: fast", BASE))
                .getMessage().contains("'latency'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FleetScenario.apply("hosts: -4", BASE))
                .getMessage().contains("hosts must be within"));
        assertThrows(IllegalArgumentException.class,
                () -> FleetScenario.apply("faults:\n  - type: huge-output\n", BASE));
        assertThrows(IllegalArgumentException.class, () -> FleetScenario.apply("- just a list", BASE));
    }

    @Test
    void parsesSizesAndLatencies() {
        assertEquals(512L << 10, FleetScenario.size("512KiB", "x"));
        assertEquals(50L << 20, FleetScenario.size("50M", "x"));
        assertEquals(123, FleetScenario.size("123", "x"));
        assertEquals(new Latency(Duration.ofMillis(50), Duration.ofMillis(150)), Latency.parse("50ms..150ms"));
        assertEquals("50ms..150ms", Latency.parse("50ms..150ms").toString());
        assertThrows(IllegalArgumentException.class, () -> Latency.parse("150ms..50ms"));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
    }
}
