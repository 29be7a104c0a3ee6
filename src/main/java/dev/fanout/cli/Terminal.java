package dev.fanout.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Optional;

/**
 * The terminal fanout was started on, if any: where a live progress line makes sense and a password can be asked.
 *
 * <p>{@link System#console()} alone cannot tell. JDK 21 and JDK 25 give a console only when standard input and
 * output are a terminal, but JDK 22 to 24 give one in any case (their default console is JLine's, which any JDK
 * from 20 also uses with {@code -Djdk.console=jdk.internal.le}), and only {@code Console.isTerminal()}, new in JDK
 * 22, says whether it is a terminal. This code is compiled for JDK 21, whose API lacks that method, so it is looked
 * up once by reflection; where it does not exist (JDK 21), a console is a terminal.
 */
final class Terminal {

    /** {@code Console.isTerminal()} on JDK 22 and later, null on JDK 21. */
    private static final Method IS_TERMINAL = isTerminalMethod();

    private Terminal() {
    }

    /** The console, if standard input and output are a terminal. */
    @SuppressWarnings("SystemConsoleNull") // null on JDK 21 and 25 without a terminal; isTerminal() covers 22 to 24
    static Optional<Console> console() {
        Console console = System.console();
        return console != null && isTerminal(console) ? Optional.of(console) : Optional.empty();
    }

    private static boolean isTerminal(Console console) {
        if (IS_TERMINAL == null) {
            return true;
        }
        try {
            return (Boolean) IS_TERMINAL.invoke(console);
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    private static Method isTerminalMethod() {
        try {
            return Console.class.getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }
}
