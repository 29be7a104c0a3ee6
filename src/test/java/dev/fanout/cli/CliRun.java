package dev.fanout.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** What one {@code fanout} command line, run in this JVM, returned and printed. */
record CliRun(int exitCode, String out, String err) {

    /** Runs {@code fanout args...} and keeps its exit code, stdout and stderr. */
    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var line = FanoutCommand.commandLine(args);
        line.setOut(new PrintWriter(out));
        line.setErr(new PrintWriter(err));
        int code = line.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }
}
