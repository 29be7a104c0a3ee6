package dev.fanout.testing;

import dev.fanout.Host;
import dev.fanout.Secret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.opentest4j.TestAbortedException;

/**
 * A real OpenSSH {@code sshd} on 127.0.0.1 (or {@code ::1}, {@link #startOnIpv6Loopback}) and a free port, started from
 * a throwaway config and host key in a temporary directory, with four local users made for it (needs root, as
 * {@code useradd} and password logins
 * do; their login shell is bash, as on the hosts of the reference benchmark): {@link #PASSWORD_USER}, {@link #KBD_USER}
 * (keyboard-interactive through PAM only), {@link #KEY_USER} (public key only) and {@link #SUDO_USER} (password, or
 * keyboard-interactive). Where
 * sudo is installed, a sudoers file ({@link #SUDOERS}) lets {@link #SUDO_USER} run anything with its password under
 * {@code Defaults requiretty}, and {@link #PASSWORD_USER} the same without requiretty; sudo asks for the password
 * every time ({@code timestamp_timeout=0}). sshd accepts {@code env} requests for names starting
 * {@link #ACCEPTED_ENV_PREFIX}. Their password is random, made
 * once per machine and kept in a root-only file ({@link #PASSWORD_FILE}), so that test JVMs running at once (two
 * checkouts, or a test and a benchmark) never change it under each other's feet.
 *
 * <p>Where sshd or root is missing the tests using it are skipped, except under {@code CI=true}, where that is an
 * error: in CI the real-sshd tests must run.
 */
public final class OpenSshServer implements TestServer {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final List<Path> SFTP_SERVERS = List.of(Path.of("/usr/lib/openssh/sftp-server"),
            Path.of("/usr/libexec/openssh/sftp-server"), Path.of("/usr/libexec/sftp-server"));

    /** A user that may sudo with its password, under {@code Defaults requiretty}. */
    public static final String SUDO_USER = "fanout-sudo";
    /** Environment variables sshd accepts in {@code env} requests: names starting with this. */
    public static final String ACCEPTED_ENV_PREFIX = "FANOUT_ACCEPTED_";
    /** The sudoers file of the test users. */
    static final Path SUDOERS = Path.of("/etc/sudoers.d/fanout-test");
    private static final Path SUDO = Path.of("/usr/bin/sudo");

    /** Where the test users' password is kept (mode 0600, root's). */
    static final Path PASSWORD_FILE = Path.of(System.getProperty("user.home"), ".cache", "fanout-test",
            "password");

    /** The loopback address sshd listens on (the first, if several), as {@link Host#address()} writes it. */
    private final String listenAddress;
    private final Path directory;
    private final Path authorizedKeys;
    private final ReentrantLock authorizedKeysLock = new ReentrantLock();
    private final int port;
    private final Process process;
    private final Path knownHosts;
    private final String hostKeyLine;
    private final String ecdsaHostKeyLine;
    private final Secret password;
    private final Path sftpLog;
    private final boolean sftp;

    private OpenSshServer(Path directory, Path keyDirectory, List<String> listenAddresses, List<String> moreConfig,
            boolean sftp) throws IOException, InterruptedException {
        this.directory = directory;
        this.listenAddress = listenAddresses.get(0);
        this.sftp = sftp;
        this.password = testUsersPassword();
        for (String user : List.of(PASSWORD_USER, KBD_USER, KEY_USER, SUDO_USER)) {
            ensureUser(user);
        }
        if (Files.isExecutable(SUDO)) {
            writeSudoers();
        }
        Path authorizedKeysDirectory = Files.createDirectories(directory.resolve("authorized_keys"));
        authorizedKeys = authorizedKeysDirectory.resolve(KEY_USER);
        Files.write(authorizedKeys, TestKeys.publicKeyLines(keyDirectory));
        makeReadableByAll(authorizedKeys);
        // Two host keys, as real servers have: known_hosts files usually hold only the one OpenSSH chose.
        Path hostKey = directory.resolve("ssh_host_ed25519_key");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostKey.toString()));
        hostKeyLine = publicKeyLine(hostKey);
        // A host certificate too, which fanout does not use: clients that prefer certificates get them offered.
        Path hostCa = directory.resolve("host_ca");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", hostCa.toString()));
        Processes.run(List.of("ssh-keygen", "-q", "-s", hostCa.toString(), "-I", "fanout-test-host", "-h",
                "-n", listenAddress, hostKey + ".pub"));
        Path ecdsaHostKey = directory.resolve("ssh_host_ecdsa_key");
        Processes.run(List.of("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f",
                ecdsaHostKey.toString()));
        ecdsaHostKeyLine = publicKeyLine(ecdsaHostKey);
        port = freePort();
        // sftp-server logs each open (path, flags, mode), mode change and close here; it runs as each user.
        sftpLog = Files.createFile(directory.resolve("sftp.log"));
        Files.setPosixFilePermissions(sftpLog, PosixFilePermissions.fromString("rw-rw-rw-"));
        Path config = directory.resolve("sshd_config");
        List<String> lines = new ArrayList<>(moreConfig); // first: sshd takes the first value of a keyword
        lines.add("Port " + port);
        listenAddresses.forEach(address -> lines.add("ListenAddress " + address));
        lines.addAll(List.of(
                "HostKey " + hostKey,
                "HostKey " + ecdsaHostKey,
                "HostCertificate " + hostKey + "-cert.pub",
                "PidFile " + directory.resolve("sshd.pid"),
                "UsePAM yes",
                "PasswordAuthentication yes",
                "KbdInteractiveAuthentication yes",
                "PubkeyAuthentication yes",
                "AuthorizedKeysFile " + authorizedKeysDirectory + "/%u",
                "StrictModes no",
                "PermitRootLogin no",
                "MaxStartups 200:30:400",
                "MaxSessions 100",
                "AcceptEnv " + ACCEPTED_ENV_PREFIX + "*",
                "LogLevel VERBOSE",
                sftp ? "Subsystem sftp " + sftpServer() + " -e -l INFO 2>>'" + sftpLog + "'" : "",
                "Match User " + PASSWORD_USER,
                "    AuthenticationMethods password keyboard-interactive",
                "Match User " + KBD_USER,
                "    AuthenticationMethods keyboard-interactive",
                "Match User " + KEY_USER,
                "    AuthenticationMethods publickey",
                "Match User " + SUDO_USER,
                "    AuthenticationMethods password keyboard-interactive",
                ""));
        Files.writeString(config, String.join("\n", lines));
        Files.createDirectories(Path.of("/run/sshd"));
        process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("sshd.log").toFile())
                .start();
        awaitListening();
        knownHosts = directory.resolve("openssh_known_hosts");
        Files.writeString(knownHosts, host(PASSWORD_USER).knownHostsName() + " " + hostKeyLine + "\n");
    }

    /**
     * Starts sshd, or skips the calling test (aborts it) when this machine cannot run it, unless {@code CI=true}.
     */
    public static OpenSshServer start(Path directory, Path keyDirectory) {
        return start(directory, keyDirectory, List.of("127.0.0.1"), List.of(), true);
    }

    /** {@link #start}, listening on the IPv6 loopback address {@code ::1} only. */
    public static OpenSshServer startOnIpv6Loopback(Path directory, Path keyDirectory) {
        return start(directory, keyDirectory, List.of("::1"), List.of(), true);
    }

    /**
     * {@link #start}, listening on each of these addresses (loopback ones: 127.0.0.2, ...; sshd takes at most 16),
     * all on the same port, with these lines first in its config (they win over the defaults: {@code LogLevel
     * DEBUG1}, say).
     */
    public static OpenSshServer start(Path directory, Path keyDirectory, List<String> listenAddresses,
            List<String> moreConfig) {
        return start(directory, keyDirectory, listenAddresses, moreConfig, true);
    }

    /**
     * {@link #start}, without an SFTP subsystem (no {@code Subsystem} line), as hardened hosts are configured: a client
     * asking for SFTP is refused, commands run.
     */
    public static OpenSshServer startWithoutSftp(Path directory, Path keyDirectory) {
        return start(directory, keyDirectory, List.of("127.0.0.1"), List.of(), false);
    }

    private static OpenSshServer start(Path directory, Path keyDirectory, List<String> listenAddresses,
            List<String> moreConfig, boolean sftp) {
        String missing = !Files.isExecutable(SSHD) ? "OpenSSH server is not installed (" + SSHD + ")"
                : !"root".equals(System.getProperty("user.name")) ? "the real-sshd tests need root" : null;
        if (missing != null) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing + "; in CI the real-sshd tests must run (see .ci/run)");
            }
            throw new TestAbortedException(missing);
        }
        try {
            return new OpenSshServer(directory, keyDirectory, listenAddresses, moreConfig, sftp);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sshd: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test users' sudo rules, checked by {@code visudo} and put in place in one rename (sudo ignores names with a
     * dot, so the file being written is never read); the same for every test JVM, so JVMs starting at once agree.
     */
    private static void writeSudoers() throws IOException, InterruptedException {
        String rules = String.join("\n",
                "# fanout's tests (OpenSshServer): a sudo user under requiretty, one without; a password every time",
                "Defaults:" + SUDO_USER + " requiretty",
                "Defaults:" + SUDO_USER + " timestamp_timeout=0",
                "Defaults:" + PASSWORD_USER + " timestamp_timeout=0",
                SUDO_USER + " ALL=(ALL:ALL) ALL",
                PASSWORD_USER + " ALL=(ALL:ALL) ALL",
                "");
        Path candidate = Files.createTempFile(SUDOERS.getParent(), "fanout-test.", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--r-----")));
        try {
            Files.writeString(candidate, rules);
            Processes.run(List.of("visudo", "-c", "-q", "-f", candidate.toString()));
            Files.move(candidate, SUDOERS, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(candidate);
        }
    }

    /** Skips the calling test (aborts it) where sudo is not installed, except under {@code CI=true}. */
    public void requireSudo() {
        if (!Files.isExecutable(SUDO)) {
            String missing = "sudo is not installed (" + SUDO + ")";
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException(missing + "; in CI the sudo tests must run (see .ci/run)");
            }
            throw new TestAbortedException(missing);
        }
    }

    /** OpenSSH's sftp-server program, wherever this system keeps it. */
    private static Path sftpServer() throws IOException {
        return SFTP_SERVERS.stream().filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new IOException("no sftp-server in " + SFTP_SERVERS));
    }

    /**
     * The log of the SFTP server (OpenSSH's {@code sftp-server -l INFO}, as every user, for every session): a line
     * per open ({@code open "PATH" flags WRITE,CREATE,EXCL mode 0600}), mode change ({@code set "PATH" mode 0644}),
     * close ({@code close "PATH" bytes read 0 written 10}, {@code forced close ...} when the channel went first),
     * rename and remove, each written before the request is answered.
     */
    public Path sftpLog() {
        return sftpLog;
    }

    private static String publicKeyLine(Path key) throws IOException {
        return String.join(" ", List.of(Files.readString(Path.of(key + ".pub")).strip().split(" ")).subList(0, 2));
    }

    /** The server's other host key ({@code ecdsa-sha2-nistp256 base64}); {@link #hostKeyLine()} is Ed25519. */
    public String ecdsaHostKeyLine() {
        return ecdsaHostKeyLine;
    }

    /** sshd reads authorized_keys as the user, so the file and every directory above it must let others in. */
    private static void makeReadableByAll(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        for (Path dir = file.getParent(); dir != null && !dir.equals(dir.getRoot()); dir = dir.getParent()) {
            Set<PosixFilePermission> permissions = new HashSet<>(Files.getPosixFilePermissions(dir));
            permissions.add(PosixFilePermission.OTHERS_EXECUTE);
            Files.setPosixFilePermissions(dir, permissions);
        }
    }

    /** The machine's test password: read, or made once (the first writer wins; the others read its file). */
    private static Secret testUsersPassword() throws IOException {
        Files.createDirectories(PASSWORD_FILE.getParent(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path candidate = Files.createTempFile(PASSWORD_FILE.getParent(), "password", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(candidate, HexFormat.of().formatHex(new SecureRandom().generateSeed(12)));
            Files.createLink(PASSWORD_FILE, candidate);
        } catch (java.nio.file.FileAlreadyExistsException taken) {
            // Another JVM made it first.
        } finally {
            Files.delete(candidate);
        }
        return Secret.of(Files.readString(PASSWORD_FILE).strip());
    }

    private void ensureUser(String user) throws IOException, InterruptedException {
        try {
            Processes.run(List.of("id", user));
        } catch (IOException missing) {
            try {
                Processes.run(List.of("useradd", "--create-home", "--shell", "/bin/bash", user));
            } catch (IOException raced) {
                Processes.run(List.of("id", user)); // made by a test JVM running at the same time
            }
        }
        if (!Processes.run(List.of("getent", "passwd", user)).strip().endsWith(":/bin/bash")) {
            Processes.run(List.of("usermod", "--shell", "/bin/bash", user));
        }
        long deadline = System.nanoTime() + Await.PATIENCE.toNanos();
        while (true) {
            try {
                Processes.run(List.of("chpasswd"), user + ":" + password.reveal() + "\n");
                return;
            } catch (IOException locked) { // another test JVM holds /etc/shadow's lock
                if (System.nanoTime() - deadline >= 0) {
                    throw locked;
                }
                Thread.sleep(100);
            }
        }
    }

    private int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(listenAddress))) {
            return socket.getLocalPort();
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Await.PATIENCE.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                throw new IOException("sshd exited " + process.exitValue() + ": "
                        + Files.readString(directory.resolve("sshd.log")));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getByName(listenAddress), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IOException("sshd did not listen on port " + port + " within " + Await.PATIENCE.toSeconds() + " s");
    }

    /** {@code openssh}, or {@code openssh-no-sftp} for a server {@link #startWithoutSftp started without SFTP}. */
    @Override
    public String name() {
        return sftp ? "openssh" : "openssh-no-sftp";
    }

    @Override
    public Host host(String user) {
        return new Host(listenAddress, port, user);
    }

    /** The port sshd listens on, at every one of its addresses. */
    public int port() {
        return port;
    }

    @Override
    public Path knownHosts() {
        return knownHosts;
    }

    @Override
    public String hostKeyLine() {
        return hostKeyLine;
    }

    @Override
    public Secret password() {
        return password;
    }

    /** Appends the key to the user's authorized_keys, which sshd reads at every login. */
    @Override
    public void authorize(Path publicKeyFile) {
        authorizedKeysLock.lock();
        try {
            Files.writeString(authorizedKeys, Files.readString(publicKeyFile).strip() + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            authorizedKeysLock.unlock();
        }
    }

    @Override
    public void killSessions() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * The processes under sshd: sshd forks a process for each connection as it accepts it (which forks the user's
     * session and its commands), and each ends when its connection has ended.
     */
    @Override
    public List<String> openSessions() {
        return process.descendants().filter(ProcessHandle::isAlive)
                .map(child -> "process " + child.pid() + " " + title(child)).toList();
    }

    /** The processes under sshd (the users' commands among them) whose command line {@code wanted} accepts. */
    public List<ProcessHandle> processes(Predicate<String> wanted) {
        return process.descendants().filter(child -> wanted.test(title(child))).toList();
    }

    /** What a process calls itself: sshd's show the user and the stage ({@code sshd: fanout-pw [priv]}). */
    private static String title(ProcessHandle process) {
        try {
            byte[] commandLine = Files.readAllBytes(Path.of("/proc", String.valueOf(process.pid()), "cmdline"));
            return new String(commandLine, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException gone) {
            return "(ended)";
        }
    }

    /** The server's log so far, for failure messages. */
    public String log() {
        try {
            return Files.readString(directory.resolve("sshd.log"));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
