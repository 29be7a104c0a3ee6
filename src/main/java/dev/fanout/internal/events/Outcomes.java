package dev.fanout.internal.events;

import dev.fanout.error.FanoutException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/** How a failure is named in the events: its kind and the phase it happened in. */
final class Outcomes {

    /** The outcome of work that succeeded. */
    static final String OK = "ok";

    private Outcomes() {
    }

    /** {@code ok} for null, {@code cancelled}, a fanout failure's kind, else {@code internal_error}. */
    static String of(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause == null) {
            return OK;
        }
        if (cause instanceof CancellationException) {
            return "cancelled";
        }
        return cause instanceof FanoutException fanout ? fanout.kind() : "internal_error";
    }

    /** The phase a fanout failure happened in, else {@code ownPhase}. */
    static String phase(Throwable failure, String ownPhase) {
        return unwrap(failure) instanceof FanoutException fanout ? fanout.phase().label() : ownPhase;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
