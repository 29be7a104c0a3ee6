package dev.fanout.cli;

import dev.fanout.internal.driver.SshDrivers;
import java.util.Set;

/**
 * Prepares the driver a {@code run}, {@code copy} or {@code fetch} will use on a thread of its own while picocli
 * reads the command's options: the two are the longest parts of a short run's start-up (docs/performance.md,
 * "Start-up"). The driver is read from the arguments as they are ({@code --driver NAME} or {@code --driver=NAME},
 * else the default); a wrong guess costs only the preparation, as the driver's creation waits for one under way
 * and reports what fails.
 */
final class DriverPreparation {

    private static final Set<String> CONNECTING_COMMANDS = Set.of("run", "copy", "fetch");
    private static final String OPTION = "--driver";

    private DriverPreparation() {
    }

    /** Starts preparing the driver of a connecting command; nothing for other commands. */
    static void start(String[] arguments) {
        if (arguments.length == 0 || !CONNECTING_COMMANDS.contains(arguments[0])) {
            return;
        }
        String driver = driverNamed(arguments);
        Thread.ofPlatform().daemon().name("fanout-driver-preparation").start(() -> {
            try {
                SshDrivers.prepare(driver);
            } catch (RuntimeException | LinkageError ignored) {
                // The driver's creation fails the same way and reports it.
            }
        });
    }

    /** The driver the arguments name, or the default. */
    static String driverNamed(String[] arguments) {
        String driver = LimitOptions.DEFAULT_DRIVER;
        for (int i = 1; i < arguments.length; i++) {
            if (arguments[i].equals("--")) {
                break;
            } else if (arguments[i].equals(OPTION) && i + 1 < arguments.length) {
                driver = arguments[++i];
            } else if (arguments[i].startsWith(OPTION + "=")) {
                driver = arguments[i].substring(OPTION.length() + 1);
            }
        }
        return driver;
    }
}
