package dev.fanout.contract;

import dev.fanout.Credentials;
import dev.fanout.Fanout;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Timeouts;
import dev.fanout.testing.MinaTestServer;
import dev.fanout.testing.OpenSshServer;
import dev.fanout.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The servers and drivers of the contract suite, started once for the whole test run: the in-process MINA server
 * and a real OpenSSH sshd (whose tests are skipped where sshd cannot run, except in CI).
 */
final class ContractServers {

    static final List<String> DRIVERS = List.of("jsch", "mina");
    static final Timeouts TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(15),
            Duration.ofSeconds(60));

    private static final Path DIRECTORY;
    private static final Path KEYS;
    private static final MinaTestServer MINA;
    private static final RuntimeException OPENSSH_UNAVAILABLE;
    private static final OpenSshServer OPENSSH;

    static {
        try {
            DIRECTORY = Files.createTempDirectory("fanout-contract");
            KEYS = Files.createDirectories(DIRECTORY.resolve("keys"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MINA = new MinaTestServer(DIRECTORY, KEYS);
        OpenSshServer openssh = null;
        RuntimeException unavailable = null;
        try {
            openssh = OpenSshServer.start(Files.createDirectories(DIRECTORY.resolve("openssh")), KEYS);
        } catch (RuntimeException | IOException e) {
            unavailable = e instanceof RuntimeException r ? r : new UncheckedIOException((IOException) e);
        }
        OPENSSH = openssh;
        OPENSSH_UNAVAILABLE = unavailable;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            MINA.close();
            if (OPENSSH != null) {
                OPENSSH.close();
            }
        }));
    }

    private ContractServers() {
    }

    /** Every (driver, server) pair: the arguments of the parameterised contract tests. */
    static Stream<Arguments> targets() {
        return DRIVERS.stream().flatMap(driver -> Stream.of("mina-server", "openssh")
                .map(server -> Arguments.of(driver, server)));
    }

    /** Each driver name: the arguments of tests that need no server or one fixed server. */
    static Stream<Arguments> drivers() {
        return DRIVERS.stream().map(Arguments::of);
    }

    /** The named server; aborts the test (skips it) where the real sshd cannot run outside CI. */
    static TestServer server(String name) {
        if (name.equals("mina-server")) {
            return MINA;
        }
        if (OPENSSH == null) {
            throw OPENSSH_UNAVAILABLE;
        }
        return OPENSSH;
    }

    /** The real sshd; aborts the test (skips it) where it cannot run outside CI. */
    static OpenSshServer openssh() {
        return (OpenSshServer) server("openssh");
    }

    static MinaTestServer mina() {
        return MINA;
    }

    /** The directory of the client keys ({@code TestKeys}). */
    static Path keys() {
        return KEYS;
    }

    /** A fresh scratch directory. */
    static Path scratch() {
        try {
            return Files.createTempDirectory(DIRECTORY, "scratch");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client for the server, STRICT against its known_hosts file. */
    static Fanout fanout(String driver, TestServer server, Credentials credentials) {
        return Fanout.builder().driver(driver).credentials(credentials)
                .hostKeyPolicy(HostKeyPolicy.strict(server.knownHosts())).timeouts(TIMEOUTS).build();
    }
}
