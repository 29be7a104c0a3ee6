package dev.fanout.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Output;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    @Test
    void keepsUpToTheLimitAndCountsEverything() {
        BoundedOutput out = new BoundedOutput(5);
        out.write("abc".getBytes(), 0, 3);
        out.write("defgh".getBytes(), 0, 5);
        out.write('i');
        Output snapshot = out.snapshot();
        assertArrayEquals("abcde".getBytes(), snapshot.bytes());
        assertEquals(9, snapshot.totalBytes());
        assertTrue(snapshot.truncated());
    }

    @Test
    void keepsNothingWithALimitOfZero() {
        BoundedOutput out = new BoundedOutput(0);
        out.write(new byte[1000], 0, 1000);
        assertEquals(0, out.snapshot().size());
        assertEquals(1000, out.snapshot().totalBytes());
    }

    @Test
    void signalsClose() {
        BoundedOutput out = new BoundedOutput(10);
        assertFalse(out.closed().isDone());
        out.close();
        assertTrue(out.closed().isDone());
    }

    @Test
    void honoursOffsets() {
        BoundedOutput out = new BoundedOutput(10);
        out.write("xxhelloxx".getBytes(), 2, 5);
        assertEquals("hello", out.snapshot().text());
        assertFalse(out.snapshot().truncated());
    }
}
