package dev.fanout.internal.schedule;

/** The detail of a host that ended by something thrown past its runner: the throwable, and what to do if known. */
final class InternalErrors {

    private static final long MIB = 1024 * 1024;

    private InternalErrors() {
    }

    /**
     * {@code internal error: TYPE: MESSAGE}; for a heap that ran out, also how big it was and what to change, since
     * that is the user's to fix rather than a bug.
     */
    static String detail(Throwable error) {
        String detail = "internal error: " + error;
        if (error instanceof OutOfMemoryError && String.valueOf(error.getMessage()).contains("heap space")) {
            detail += "; the JVM's heap (at most " + Runtime.getRuntime().maxMemory() / MIB + " MiB) is too small for "
                    + "what the run holds: give it more (-Xmx; FANOUT_JAVA_OPTS for the command line), or keep less "
                    + "(the output budget, --output-budget; fewer hosts at once, --max-in-flight)";
        }
        return detail;
    }
}
