package dev.fanout;

/**
 * A pseudo-terminal for a command ({@link Command#withPty(Pty)}), as {@code ssh -t} asks for one: terminal type
 * {@code xterm}, this size, echo off and no carriage return added before each newline, so that what is sent is not
 * printed back and output lines end as they do without a terminal. On a terminal a command's stderr arrives merged
 * into its stdout, and it has no end of input.
 *
 * @param columns the width in characters, 1 to 10,000
 * @param rows the height in lines, 1 to 10,000
 */
public record Pty(int columns, int rows) {

    /** 80 columns, 24 rows. */
    public static final Pty DEFAULT = new Pty(80, 24);

    /** Rejects sizes outside 1 to 10,000. */
    public Pty {
        if (columns < 1 || columns > 10_000 || rows < 1 || rows > 10_000) {
            throw new IllegalArgumentException("a pty's columns and rows must be within 1 and 10000: " + columns + "x"
                    + rows);
        }
    }
}
