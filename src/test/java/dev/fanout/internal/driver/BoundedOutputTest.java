package dev.fanout.internal.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Output;
import dev.fanout.spi.OutputBudget;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

    @Test
    void keepsUpToTheLimitAndCountsEverything() {
        BoundedOutput out = new BoundedOutput(5);
        out.write("abc".getBytes(StandardCharsets.UTF_8), 0, 3);
        out.write("defgh".getBytes(StandardCharsets.UTF_8), 0, 5);
        out.write('i');
        Output snapshot = out.snapshot();
        assertArrayEquals("abcde".getBytes(StandardCharsets.UTF_8), snapshot.bytes());
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
        out.write("xxhelloxx".getBytes(StandardCharsets.UTF_8), 2, 5);
        assertEquals("hello", out.snapshot().text());
        assertFalse(out.snapshot().truncated());
    }

    @Test
    void streamsShareTheRunsBudgetAndKeepOnlyAPrefix() {
        OutputBudget budget = new OutputBudget(8);
        BoundedOutput first = new BoundedOutput(100, budget);
        BoundedOutput second = new BoundedOutput(100, budget);
        first.write("abcde".getBytes(StandardCharsets.UTF_8), 0, 5);
        second.write("vwxyz".getBytes(StandardCharsets.UTF_8), 0, 5);
        first.write("f".getBytes(StandardCharsets.UTF_8), 0, 1);
        assertEquals("abcde", first.snapshot().text());
        assertEquals(6, first.snapshot().totalBytes());
        assertTrue(first.snapshot().truncated());
        assertEquals("vwx", second.snapshot().text());
        assertEquals(5, second.snapshot().totalBytes());
        assertTrue(budget.spent());
    }

    @Test
    void aStreamTheBudgetRefusedOnceKeepsNoMore() {
        OutputBudget budget = new OutputBudget(4);
        BoundedOutput out = new BoundedOutput(100, budget);
        BoundedOutput other = new BoundedOutput(100, budget);
        other.write("ab".getBytes(StandardCharsets.UTF_8), 0, 2);
        out.write("cdef".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertEquals(0, budget.take(1), "the budget is spent");
        assertEquals("cd", out.snapshot().text());
        assertFalse(new OutputBudget(10).spent());
    }
}
