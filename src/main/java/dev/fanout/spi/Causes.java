package dev.fanout.spi;

/** For drivers translating their library's exceptions: what a failure's cause chain holds. */
public final class Causes {

    private Causes() {
    }

    /** Whether {@code error} or any of its causes is a {@code type}. */
    public static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
