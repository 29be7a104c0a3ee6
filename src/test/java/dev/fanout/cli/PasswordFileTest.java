package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Secret;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --password-file} and an inventory's {@code password-file}: only a regular file of the current user that
 * group and others can neither read, write nor run is read; every refusal names the file and never its content.
 */
class PasswordFileTest {

    private static final String PASSWORD = "password-file-test";

    @TempDir
    Path dir;

    private SimulatedFleet fleet;
    private Path knownHosts;

    @BeforeEach
    void startFleet() throws IOException {
        fleet = SimulatedFleet.start(FleetConfig.of(2, "root", Secret.of(PASSWORD)));
        knownHosts = dir.resolve("known_hosts");
        fleet.writeKnownHosts(knownHosts);
    }

    @AfterEach
    void stopFleet() {
        fleet.close();
    }

    private Path file(String name, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, PASSWORD + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    /** {@code fanout run} on the fleet's two hosts, or on the inventory {@code -i FILE} among the given args. */
    private CliRun runWith(String... credentials) {
        List<String> args = new ArrayList<>(List.of("run", "--known-hosts", knownHosts.toString(), "--no-progress",
                "-c", "whoami"));
        if (!List.of(credentials).contains("-i")) {
            args.addAll(List.of("-H", "127.101.0.[1-2]:" + fleet.port(), "-u", "root"));
        }
        args.addAll(List.of(credentials));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertRefused(String expected, String... credentials) {
        CliRun run = runWith(credentials);
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
        assertEquals(1, run.err().lines().count(), "one line: " + run.err());
        assertFalse(run.err().contains(PASSWORD), "never the content: " + run.err());
        assertEquals("", run.out(), "no host ran");
    }

    @Test
    void acceptsAPrivateFileOfTheCurrentUser() throws IOException {
        CliRun run = runWith("--password-file", file("password", "rw-------").toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(2, run.out().lines().filter(line -> line.endsWith(": root")).count(), run.out());
        CliRun readOnly = runWith("--password-file", file("read-only", "r--------").toString());
        assertEquals(0, readOnly.exitCode(), readOnly.err());
    }

    @Test
    void refusesASymbolicLinkEvenToAPrivateFile() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), file("password", "rw-------"));
        assertRefused("password file " + link + " is a symbolic link", "--password-file", link.toString());
    }

    @Test
    void refusesAFileGroupOrOthersMayUse() throws IOException {
        for (String permissions : List.of("rw-r-----", "rw----r--", "rw--w----", "rw-----w-", "rw---x---",
                "rw------x")) {
            Path file = file("open-" + permissions, permissions);
            assertRefused("password file " + file + " may be used by group or others (mode 0"
                    + Integer.toOctalString(mode(permissions)) + "); make it private: chmod 600 " + file,
                    "--password-file", file.toString());
        }
    }

    @Test
    void refusesAFileOfAnotherUser() throws IOException {
        Path file = file("nobodys", "rw-------");
        Files.setOwner(file, file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertRefused("password file " + file + " belongs to nobody, not to " + System.getProperty("user.name"),
                "--password-file", file.toString());
    }

    @Test
    void refusesWhatIsNotARegularFile() throws IOException {
        Path directory = Files.createDirectory(dir.resolve("directory"));
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        assertRefused("password file " + directory + " is not a regular file", "--password-file",
                directory.toString());
    }

    @Test
    void checksAnInventorysPasswordFileTheSameWay() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), file("password", "rw-------"));
        Path inventory = dir.resolve("hosts.yaml");
        Files.writeString(inventory, String.join("\n",
                "defaults:",
                "  user: root",
                "  port: " + fleet.port(),
                "  credentials: main",
                "credentials:",
                "  main:",
                "    password-file: " + link,
                "hosts: [\"127.101.0.[1-2]\"]",
                ""));
        assertRefused(inventory + ": credentials.main: password file " + link + " is a symbolic link", "-i",
                inventory.toString());
    }

    private static int mode(String permissions) {
        int mode = 0;
        for (int i = 0; i < permissions.length(); i++) {
            mode = mode << 1 | (permissions.charAt(i) == '-' ? 0 : 1);
        }
        return mode;
    }
}
