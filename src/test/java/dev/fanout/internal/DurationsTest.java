package dev.fanout.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as written on a command line or in a fleet scenario. */
class DurationsTest {

    @Test
    void readsEachUnit() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(10), Durations.parse(" 10s "));
        assertEquals(Duration.ofMinutes(2), Durations.parse("2m"));
        assertEquals(Duration.ofHours(1), Durations.parse("1h"));
    }

    @Test
    void refusesMalformedTextShowingTheForms() {
        for (String text : new String[] {"soon", "10", "10 s", "-1s", "1.5s", "1d"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
            assertEquals("invalid duration '" + text + "' (write e.g. 500ms, 10s, 2m, 1h)", e.getMessage());
        }
    }

    /** Once a NumberFormatException ("For input string") or an ArithmeticException that escaped as a crash. */
    @Test
    void refusesAnAmountTooLargeForADurationByName() {
        for (String text : new String[] {"99999999999999999999ms", "9999999999999999h", "999999999999999999m"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
            assertEquals("invalid duration '" + text + "': too large", e.getMessage());
        }
    }
}
