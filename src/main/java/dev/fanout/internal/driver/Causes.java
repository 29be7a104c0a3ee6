package dev.fanout.internal.driver;

import java.util.Locale;

/** For drivers translating their library's exceptions: what a failure's cause chain holds. */
public final class Causes {

    private Causes() {
    }

    /** Whether {@code error} or any of its causes is a {@code type}. */
    public static boolean has(Throwable error, Class<? extends Throwable> type) {
        return find(error, type) != null;
    }

    /** The first of {@code error} and its causes that is a {@code type}, or null. */
    public static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** Whether a server's message speaks of a full file system or an exceeded quota. */
    public static boolean mentionsNoSpace(String message) {
        String lower = String.valueOf(message).toLowerCase(Locale.ROOT);
        return lower.contains("no space") || lower.contains("out of space") || lower.contains("disk full")
                || lower.contains("quota");
    }
}
