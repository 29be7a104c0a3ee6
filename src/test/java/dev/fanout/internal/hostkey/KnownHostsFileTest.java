package dev.fanout.internal.hostkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.spi.HostKeyVerdict.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownHostsFileTest {

    private static final byte[] KEY_A = blob("ssh-ed25519", 1);
    private static final byte[] KEY_B = blob("ssh-ed25519", 2);
    private static final byte[] RSA = blob("ssh-rsa", 3);

    @TempDir
    Path dir;

    /** A syntactically valid wire-format key: the type string and some key bytes. */
    private static byte[] blob(String type, int seed) {
        byte[] name = type.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buffer = ByteBuffer.allocate(4 + name.length + 4 + 32);
        buffer.putInt(name.length).put(name).putInt(32);
        for (int i = 0; i < 32; i++) {
            buffer.put((byte) (seed * 31 + i));
        }
        return buffer.array();
    }

    private static String line(String hosts, byte[] key) {
        return hosts + " " + SshKeys.keyType(key) + " " + Base64.getEncoder().encodeToString(key);
    }

    private KnownHostsFile file(String... lines) throws Exception {
        Path path = dir.resolve("known_hosts");
        Files.write(path, List.of(lines));
        return KnownHostsFile.load(path);
    }

    @Test
    void trustsAKeyRecordedForThePlainNameOnPort22() throws Exception {
        KnownHostsFile known = file("# comment", "", line("web1,10.0.0.1", KEY_A));
        assertEquals(Status.TRUSTED, known.check(Host.of("root", "10.0.0.1"), KEY_A).status());
        assertEquals(Status.TRUSTED, known.check(Host.of("root", "WEB1"), KEY_A).status());
    }

    @Test
    void usesBracketedNamesOffPort22() throws Exception {
        KnownHostsFile known = file(line("[10.0.0.1]:2222", KEY_A));
        assertEquals(Status.TRUSTED, known.check(new Host("10.0.0.1", 2222, "root"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(Host.of("root", "10.0.0.1"), KEY_A).status());
    }

    @Test
    void reportsAnotherKeyOfTheSameTypeAsChangedWithItsLine() throws Exception {
        KnownHostsFile known = file("# first", line("10.0.0.1", KEY_A));
        var verdict = known.check(Host.of("root", "10.0.0.1"), KEY_B);
        assertEquals(Status.CHANGED, verdict.status());
        assertTrue(verdict.detail().endsWith("known_hosts:2"), verdict.detail());
    }

    /**
     * A man in the middle offers a type the file does not hold for a host known by another: a change, never
     * recorded (a genuine server offers the recorded type, which the drivers ask for first). Revoked keys and
     * certificate authorities do not make a host known.
     */
    @Test
    void reportsAKeyOfAnotherTypeAsChangedAndNeverRecordsIt() throws Exception {
        KnownHostsFile known = file("# first", line("10.0.0.1", RSA), line("@revoked 10.0.0.2", RSA),
                line("@cert-authority 10.0.0.3", RSA));
        for (var verdict : List.of(known.check(Host.of("root", "10.0.0.1"), KEY_A),
                known.checkOrAdd(Host.of("root", "10.0.0.1"), KEY_A))) {
            assertEquals(Status.CHANGED, verdict.status());
            assertTrue(verdict.detail().contains("ssh-rsa key recorded at " + dir.resolve("known_hosts") + ":2"),
                    verdict.detail());
        }
        assertEquals(4, Files.readAllLines(dir.resolve("known_hosts")).size(), "nothing recorded");
        assertEquals(Status.UNKNOWN, known.check(Host.of("root", "10.0.0.2"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(Host.of("root", "10.0.0.3"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(new Host("10.0.0.1", 2222, "root"), KEY_A).status());
    }

    @Test
    void matchesHashedNames() throws Exception {
        byte[] salt = new byte[20];
        salt[0] = 7;
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(salt, "HmacSHA1"));
        byte[] hash = mac.doFinal("[db.example]:2200".getBytes(StandardCharsets.UTF_8));
        String hashed =
                "|1|" + Base64.getEncoder().encodeToString(salt) + "|" + Base64.getEncoder().encodeToString(hash);
        KnownHostsFile known = file(line(hashed, KEY_A));
        assertEquals(Status.TRUSTED, known.check(new Host("db.example", 2200, "u"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(new Host("db.example", 22, "u"), KEY_A).status());
    }

    @Test
    void matchesWildcardsUnlessANegatedPatternMatches() throws Exception {
        KnownHostsFile known = file(line("*.dc1.example,!bad.dc1.example,10.0.?.5", KEY_A));
        assertEquals(Status.TRUSTED, known.check(Host.of("u", "web7.dc1.example"), KEY_A).status());
        assertEquals(Status.TRUSTED, known.check(Host.of("u", "10.0.3.5"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(Host.of("u", "bad.dc1.example"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(Host.of("u", "10.0.33.5"), KEY_A).status());
    }

    @Test
    void refusesARevokedKeyEvenWhenItIsAlsoListed() throws Exception {
        KnownHostsFile known = file(line("@revoked *", KEY_A), line("10.0.0.1", KEY_A));
        assertEquals(Status.CHANGED, known.check(Host.of("u", "10.0.0.1"), KEY_A).status());
    }

    @Test
    void listsTheKeyTypesKnownForAHostInFileOrder() throws Exception {
        byte[] ecdsa = blob("ecdsa-sha2-nistp256", 4);
        KnownHostsFile known = file(line("@cert-authority *", RSA), line("@revoked 10.0.0.1", KEY_B),
                line("*.dc1.example,10.0.0.?", ecdsa), line("10.0.0.1", KEY_A), line("10.0.0.2", RSA));
        assertEquals(List.of("ecdsa-sha2-nistp256", "ssh-ed25519"), known.knownKeyTypes(Host.of("u", "10.0.0.1")));
        assertEquals(List.of("ecdsa-sha2-nistp256"), known.knownKeyTypes(Host.of("u", "web.dc1.example")));
        assertEquals(List.of(), known.knownKeyTypes(new Host("10.0.0.1", 2222, "u")));
    }

    @Test
    void ignoresCertificateAuthorityLines() throws Exception {
        KnownHostsFile known = file(line("@cert-authority *", KEY_A));
        assertEquals(Status.UNKNOWN, known.check(Host.of("u", "10.0.0.1"), KEY_A).status());
    }

    /** As OpenSSH does: a malformed line is skipped with a warning naming it; the rest of the file counts. */
    @Test
    void skipsMalformedLinesWithAWarningNamingEach() throws Exception {
        KnownHostsFile known = file("# ok", "host ssh-ed25519 not-base64!!", line("10.0.0.1", KEY_A),
                "lonely-field", line("10.0.0.2", KEY_B));
        assertEquals(Status.TRUSTED, known.check(Host.of("u", "10.0.0.1"), KEY_A).status());
        assertEquals(Status.TRUSTED, known.check(Host.of("u", "10.0.0.2"), KEY_B).status());
        Path path = dir.resolve("known_hosts");
        assertEquals(List.of(path + ":2: key is not valid Base64; line skipped",
                path + ":4: expected [marker] hosts keytype key; line skipped"), known.skippedLines());
    }

    /** An unknown marker is not an ordinary entry: the line is skipped with a warning, so it trusts nothing. */
    @Test
    void skipsLinesWithAnUnknownMarker() throws Exception {
        KnownHostsFile known = file(line("@trusted 10.0.0.9", KEY_B), line("10.0.0.1", KEY_A));
        assertEquals(Status.UNKNOWN, known.check(Host.of("u", "10.0.0.9"), KEY_B).status());
        assertEquals(Status.TRUSTED, known.check(Host.of("u", "10.0.0.1"), KEY_A).status());
        assertEquals(List.of(dir.resolve("known_hosts") + ":1: unknown marker '@trusted' (known: @revoked, "
                + "@cert-authority); line skipped"), known.skippedLines());
    }

    @Test
    void readsAMissingFileAsEmpty() {
        KnownHostsFile known = KnownHostsFile.load(dir.resolve("absent"));
        assertEquals(Status.UNKNOWN, known.check(Host.of("u", "h"), KEY_A).status());
    }

    @Test
    void appendsANewKeyOnceEvenUnderConcurrentFirstUse() throws Exception {
        Path path = dir.resolve("sub/known_hosts");
        KnownHostsFile known = KnownHostsFile.load(path);
        Host host = new Host("10.1.1.1", 2022, "u");
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<Future<Status>> outcomes = threads.invokeAll(java.util.Collections.nCopies(64,
                () -> known.checkOrAdd(host, KEY_A).status()));
        threads.shutdown();
        long added = 0;
        for (Future<Status> outcome : outcomes) {
            added += outcome.get() == Status.ADDED ? 1 : 0;
        }
        assertEquals(1, added, "exactly one connection records the key; the rest find it");
        assertEquals(List.of(line("[10.1.1.1]:2022", KEY_A)), Files.readAllLines(path));
        assertEquals(Status.TRUSTED, KnownHostsFile.load(path).check(host, KEY_A).status());
    }

    /**
     * Two instances on one file (as two processes, or two Fanout clients in one JVM, one of them through a symbolic
     * link): each reads what the other appended before it appends, so every host is recorded once and a conflicting
     * key is never recorded; and the JVM's file locks never collide (OverlappingFileLockException).
     */
    @Test
    void readsWhatOthersAppendedBeforeAppending() throws Exception {
        Path path = dir.resolve("known_hosts");
        Files.writeString(path, line("10.0.0.1", KEY_A)); // no final newline
        Path link = Files.createSymbolicLink(dir.resolve("link"), path);
        KnownHostsFile first = KnownHostsFile.load(path);
        KnownHostsFile second = KnownHostsFile.load(link);
        Host host = Host.of("u", "10.0.0.2");
        assertEquals(Status.ADDED, first.checkOrAdd(host, KEY_A).status());
        var found = second.checkOrAdd(host, KEY_A);
        assertEquals(Status.TRUSTED, found.status());
        assertEquals(link + ":2", found.detail());
        assertEquals(Status.CHANGED, second.checkOrAdd(host, KEY_B).status());
        assertEquals(Status.CHANGED, second.checkOrAdd(host, RSA).status());

        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        List<java.util.concurrent.Callable<Status>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Host each = new Host("10.2.0." + i, 22, "u");
            calls.add(() -> first.checkOrAdd(each, KEY_A).status());
            calls.add(() -> second.checkOrAdd(each, KEY_A).status());
        }
        List<Future<Status>> outcomes = threads.invokeAll(calls);
        threads.shutdown();
        long added = 0;
        for (Future<Status> outcome : outcomes) {
            added += outcome.get() == Status.ADDED ? 1 : 0;
        }
        assertEquals(64, added, "each host recorded once");
        List<String> lines = Files.readAllLines(path);
        assertEquals(66, lines.size(), lines.toString());
        assertEquals(66, new java.util.HashSet<>(lines).size(), "no line twice");
        assertEquals(line("10.0.0.2", KEY_A), lines.get(1));
    }

    /**
     * A file replaced under a running client (ssh-keygen -R writes a new one) is read again in full before the next
     * append, and its entries replace those read before.
     */
    @Test
    void readsAReplacedFileAgainInFull() throws Exception {
        Path path = dir.resolve("known_hosts");
        Files.write(path, List.of(line("10.0.0.1", KEY_A), line("10.0.0.2", KEY_A)));
        KnownHostsFile known = KnownHostsFile.load(path);
        Path replacement = dir.resolve("known_hosts.new");
        Files.write(replacement, List.of(line("10.0.0.2", KEY_B)));
        Files.move(replacement, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        var added = known.checkOrAdd(Host.of("u", "10.0.0.3"), KEY_A);
        assertEquals(path + ":2", added.detail());
        assertEquals(List.of(line("10.0.0.2", KEY_B), line("10.0.0.3", KEY_A)), Files.readAllLines(path));
        assertEquals(Status.CHANGED, known.check(Host.of("u", "10.0.0.2"), KEY_A).status());
        assertEquals(Status.UNKNOWN, known.check(Host.of("u", "10.0.0.1"), KEY_A).status());
    }

    /** An OpenSSH HostKeyAlias is a plain name, without a port: keys are checked and recorded under it. */
    @Test
    void checksAndRecordsKeysUnderAHostKeyAlias() throws Exception {
        KnownHostsFile known = file(line("db-primary", KEY_A));
        assertEquals(Status.TRUSTED, known.check("db-primary", KEY_A).status());
        assertEquals(List.of("ssh-ed25519"), known.knownKeyTypes("db-primary"));
        var unknown = known.check("db-replica", KEY_A);
        assertEquals(Status.UNKNOWN, unknown.status());
        assertEquals(dir.resolve("known_hosts") + " under the name db-replica", unknown.detail());
        assertEquals(Status.ADDED, known.checkOrAdd("db-replica", KEY_B).status());
        assertEquals(List.of(line("db-primary", KEY_A), line("db-replica", KEY_B)),
                Files.readAllLines(dir.resolve("known_hosts")));
    }

    @Test
    void neverAppendsAChangedKey() throws Exception {
        KnownHostsFile known = file(line("10.0.0.1", KEY_A));
        assertEquals(Status.CHANGED, known.checkOrAdd(Host.of("u", "10.0.0.1"), KEY_B).status());
        assertEquals(1, Files.readAllLines(dir.resolve("known_hosts")).size());
    }

    @Test
    void appendsOnANewLineWhenTheFileLacksAFinalNewline() throws Exception {
        Path path = dir.resolve("known_hosts");
        Files.writeString(path, line("10.0.0.1", KEY_A));
        var verdict = KnownHostsFile.load(path).checkOrAdd(Host.of("u", "10.0.0.2"), KEY_B);
        assertTrue(verdict.detail().endsWith(":2"), verdict.detail());
        assertEquals(List.of(line("10.0.0.1", KEY_A), line("10.0.0.2", KEY_B)), Files.readAllLines(path));
    }

    @Test
    void fingerprintsLikeOpenSsh() {
        // ssh-keygen -lf of a key with this blob prints the unpadded Base64 of its SHA-256.
        String fingerprint = SshKeys.fingerprint(KEY_A);
        assertTrue(fingerprint.startsWith("SHA256:"));
        assertEquals(7 + 43, fingerprint.length());
    }
}
