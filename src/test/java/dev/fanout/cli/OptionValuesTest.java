package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.HostKeyPolicy;
import dev.fanout.RunMode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The typed options of {@code run}, {@code copy} and {@code fetch}: a value an option cannot take is refused while
 * the command line is read, before any host, with exit 2 and one line naming the option, the value and the forms the
 * option takes.
 */
class OptionValuesTest {

    /** {@code fanout COMMAND} with a host (never reached: the value is refused first) and {@code extra}. */
    private static CliRun run(String command, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "-H", "u@127.0.0.1:1", "--password-env", "HOME"));
        args.addAll(switch (command) {
            case "run" -> List.of("-c", "true");
            case "copy" -> List.of("pom.xml", "/tmp");
            default -> List.of("/etc/hostname", "target");
        });
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertRefused(String command, String expected, String... extra) {
        CliRun refused = run(command, extra);
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("fanout " + command + ": " + expected + "\nTry 'fanout " + command + " --help' for usage.\n",
                refused.err());
        assertEquals("", refused.out());
    }

    @Test
    void refusesAValueThatIsNoneOfTheChoicesListingThemAsTheyAreWritten() {
        assertRefused("run", "Invalid value for option '--host-key-policy': must be strict, accept-new or "
                + "accept-all, not 'accept_new'", "--host-key-policy", "accept_new");
        assertRefused("run", "Invalid value for option '--run-mode': must be serial, platform, virtual or async, "
                + "not 'turbo'", "--run-mode", "turbo");
        assertRefused("run", "Invalid value for option '--mode': must be serial, platform, virtual or async, "
                + "not 'turbo'", "--mode", "turbo");
        assertRefused("copy", "Invalid value for option '--format': must be text, json or junit, not 'xml'", "--format",
                "xml");
        assertRefused("fetch", "Invalid value for option '--driver': must be jsch or mina, not 'putty'", "--driver",
                "putty");
    }

    @Test
    void acceptsEachChoiceInAnyLetterCase() {
        assertEquals(RunMode.ASYNC, new LimitOptions.RunModeConverter().convert("Async"));
        assertEquals(RunMode.PLATFORM, new LimitOptions.RunModeConverter().convert("platform"));
        assertEquals(HostKeyPolicy.Mode.ACCEPT_NEW, new HostKeyOptions.PolicyConverter().convert("ACCEPT-NEW"));
        assertEquals(OutputFormat.JSON, new OutputOptions.FormatConverter().convert("Json"));
        assertEquals("jsch", new LimitOptions.DriverConverter().convert("JSch"));
    }

    @Test
    void refusesABadDurationNamingTheOptionAndTheForms() {
        assertRefused("run", "Invalid value for option '--deadline': invalid duration 'soon' (write e.g. 500ms, 10s, "
                + "2m, 1h)", "--deadline", "soon");
        assertRefused("copy", "Invalid value for option '--batch-interval': invalid duration '5' (write e.g. 500ms, "
                + "10s, 2m, 1h)", "--batch-interval", "5");
        assertRefused("fetch", "Invalid value for option '--command-timeout': invalid duration '9999999999999999h': "
                + "too large", "--command-timeout", "9999999999999999h");
    }

    @Test
    void refusesABadSizeNamingTheOptionAndTheForms() {
        assertRefused("run", "Invalid value for option '--output-budget': invalid size 'lots' (write e.g. 65536, "
                + "512k, 256m, 2g)", "--output-budget", "lots");
        assertRefused("copy", "Invalid value for option '--output-budget': invalid size '2x' (write e.g. 65536, "
                + "512k, 256m, 2g)", "--output-budget", "2x");
        assertRefused("fetch", "Invalid value for option '--output-budget': size '9999999999999g' is too large",
                "--output-budget", "9999999999999g");
    }
}
