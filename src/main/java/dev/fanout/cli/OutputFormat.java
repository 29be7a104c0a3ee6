package dev.fanout.cli;

/** What {@code --format} prints on stdout. */
enum OutputFormat {
    /** Each host's output, {@code host: line}, as the host completes, or folded at the end with {@code --group}. */
    TEXT,
    /** One JSON document with every host's result, at the end of the run. */
    JSON,
    /** One JUnit XML report, a testcase per host, at the end of the run ({@link JUnitReport}). */
    JUNIT
}
