package dev.fanout.internal.sshconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.internal.sshconfig.HostConfig.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The resolver's rules, each case taken from ssh_config(5) (and checked against {@code ssh -G}). */
class SshConfigFileTest {

    @TempDir
    Path dir;

    private LocalUser user;

    @BeforeEach
    void home() throws Exception {
        Files.createDirectories(dir.resolve("home/.ssh"));
        user = new LocalUser(dir.resolve("home"), System.getProperty("user.name"),
                Map.of("AGENT_DIR", "/run/agents", "SSH_AUTH_SOCK", "/run/user/agent.sock")::get);
    }

    private SshConfigFile config(String... lines) throws Exception {
        Path file = Files.write(dir.resolve("config"), List.of(lines));
        return SshConfigParser.file(file, user);
    }

    private static String value(Optional<? extends Setting<?>> setting) {
        return setting.map(found -> String.valueOf(found.value())).orElse("-");
    }

    /** "For each parameter, the first obtained value will be used": specific blocks first, defaults last. */
    @Test
    void takesTheFirstValueOfEachKeyword() throws Exception {
        SshConfigFile config = config(
                "Host web1",
                "    User alice",
                "Host web*",
                "    User bob",
                "    Port 2222",
                "Host *",
                "    User carol",
                "    Port 22",
                "    HostName %h.example.com");
        HostConfig web1 = config.resolve("web1");
        assertEquals(List.of("alice", "2222", "%h.example.com"),
                List.of(value(web1.user()), value(web1.port()), value(web1.hostName())));
        assertEquals(List.of("bob", "2222"), List.of(value(config.resolve("web2").user()),
                value(config.resolve("web2").port())));
        assertEquals(List.of("carol", "22"), List.of(value(config.resolve("db").user()),
                value(config.resolve("db").port())));
        assertEquals(new ConfigSource(dir.resolve("config"), 2), web1.user().orElseThrow().source());
    }

    /** Lines before the first Host apply to every host. */
    @Test
    void appliesLinesBeforeTheFirstHostToEveryHost() throws Exception {
        SshConfigFile config = config("User everyone", "Host special", "    User someone");
        assertEquals("everyone", value(config.resolve("special").user()));
        assertEquals("everyone", value(config.resolve("other").user()));
    }

    /**
     * "If a negated entry is matched, then the Host entry is ignored, regardless of whether any other patterns on
     * the line match"; "a negated match will never produce a positive result by itself".
     */
    @Test
    void ignoresAHostLineWhoseNegatedPatternMatches() throws Exception {
        SshConfigFile config = config(
                "Host * !bastion",
                "    ProxyJump bastion",
                "Host !web1",
                "    User nobody-at-all",
                "Host *.example.com !*.dialup.example.com",
                "    User staff");
        assertEquals("[bastion]", value(config.resolve("web1").proxyJump()));
        assertEquals("-", value(config.resolve("bastion").proxyJump()));
        assertEquals("-", value(config.resolve("web2").user()));
        assertEquals("staff", value(config.resolve("a.example.com").user()));
        assertEquals("-", value(config.resolve("pc7.dialup.example.com").user()));
    }

    /** "*" matches zero or more characters, "?" exactly one ("Host 192.168.0.?"); case matters, as in ssh. */
    @Test
    void matchesWildcardsAsSshDoes() throws Exception {
        SshConfigFile config = config("Host 192.168.0.?", "    User lan", "Host *.co.uk", "    User uk", "Host Web1",
                "    User upper");
        assertEquals("lan", value(config.resolve("192.168.0.5").user()));
        assertEquals("-", value(config.resolve("192.168.0.10").user()));
        assertEquals("uk", value(config.resolve("shop.co.uk").user()));
        assertEquals("-", value(config.resolve("co.uk").user()));
        assertEquals("upper", value(config.resolve("Web1").user()));
        assertEquals("-", value(config.resolve("web1").user()));
    }

    /**
     * "Files without absolute paths are assumed to be in ~/.ssh"; "Wildcards will be expanded and processed in
     * lexical order"; "Include directive may appear inside a Match or Host block to perform conditional inclusion".
     */
    @Test
    void readsIncludesInPlaceRelativeToDotSshInLexicalOrder() throws Exception {
        Path confD = Files.createDirectories(dir.resolve("home/.ssh/conf.d"));
        Files.write(confD.resolve("20-b.conf"), List.of("Host web*", "    User from-b", "    Port 2002"));
        Files.write(confD.resolve("10-a.conf"), List.of("Host web*", "    User from-a"));
        Files.write(confD.resolve(".hidden.conf"), List.of("Host *", "    HostKeyAlias hidden"));
        Files.write(dir.resolve("home/.ssh/db.conf"), List.of("User db-admin", "Host *", "    Port 5432"));
        SshConfigFile config = config(
                "Include conf.d/*.conf",
                "Host db*",
                "    Include db.conf",
                "    HostName db.internal",
                "Host *",
                "    IdentityFile ~/.ssh/id_all");
        HostConfig web = config.resolve("web7");
        assertEquals(List.of("from-a", "2002", "-"),
                List.of(value(web.user()), value(web.port()), value(web.hostKeyAlias())));
        HostConfig db = config.resolve("db1");
        // The included file's first line applies in the including block; its own "Host *" then matches too; after
        // it, the including block is in force again.
        assertEquals(List.of("db-admin", "5432", "db.internal"),
                List.of(value(db.user()), value(db.port()), value(db.hostName())));
        HostConfig other = config.resolve("mail");
        assertEquals(List.of("-", "-"), List.of(value(other.user()), value(other.port())));
    }

    /** An Include in a block that does not apply contributes nothing, not even its own "Host *" blocks. */
    @Test
    void anIncludeInABlockThatDoesNotApplyNeverMatches() throws Exception {
        Files.write(dir.resolve("home/.ssh/extra"), List.of("Host *", "    User from-extra"));
        SshConfigFile config = config("Host other", "    Include extra", "Host *", "    Port 2200");
        assertEquals(List.of("-", "2200"), List.of(value(config.resolve("web1").user()),
                value(config.resolve("web1").port())));
        assertEquals("from-extra", value(config.resolve("other").user()));
    }

    @Test
    void skipsMatchBlocksWithAWarningAndWarnsOncePerIgnoredKeyword() throws Exception {
        SshConfigFile config = config(
                "Host *",
                "    ForwardAgent yes",
                "Match user root",
                "    User from-match",
                "    ForwardAgent no",
                "Host web*",
                "    User web");
        assertEquals("-", value(config.resolve("db1").user()));
        assertEquals("web", value(config.resolve("web1").user()));
        Path file = dir.resolve("config");
        assertEquals(List.of(file + ":2: forwardagent is ignored by fanout (said once per keyword)",
                file + ":3: Match is not supported by fanout; its block is skipped"), config.warnings());
    }

    /** Keywords are case-insensitive; "=" may separate; quotes hold spaces; "#" starts a comment. */
    @Test
    void readsLinesAsSshSplitsThem() throws Exception {
        SshConfigFile config = config(
                "  # a comment",
                "HOST web1 # comment after the pattern",
                "\tport=2200",
                "    IdentityFile = \"/keys/my key\"",
                "    hostkeyalias \"web1-alias\" # trailing comment",
                "    UserKnownHostsFile /kh/one '/kh/t w o'");
        HostConfig web1 = config.resolve("web1");
        assertEquals(List.of("2200", "web1-alias", "[/kh/one, /kh/t w o]"),
                List.of(value(web1.port()), value(web1.hostKeyAlias()), value(web1.userKnownHostsFiles())));
        assertEquals("/keys/my key", web1.identityFiles().get(0).value());
    }

    /** IdentityFiles add up, in order, without repeats; other keywords keep their first value. */
    @Test
    void addsUpIdentityFiles() throws Exception {
        SshConfigFile config = config("Host web1", "    IdentityFile ~/.ssh/web", "Host *",
                "    IdentityFile ~/.ssh/id_ed25519", "    IdentityFile ~/.ssh/web");
        assertEquals(List.of("~/.ssh/web", "~/.ssh/id_ed25519"),
                config.resolve("web1").identityFiles().stream().map(Setting::value).toList());
    }

    /** "ProxyJump ... will compete with the ProxyCommand option - whichever is specified first". */
    @Test
    void parsesProxyJumpsAndLetsTheFirstOfItAndProxyCommandWin() throws Exception {
        SshConfigFile config = config(
                "Host inner*",
                "    ProxyJump ops@jump1.example.com:2201,ssh://[2001:db8::7]:22,jump3",
                "Host legacy",
                "    ProxyCommand ssh -W %h:%p gateway",
                "Host direct",
                "    ProxyJump none",
                "Host *",
                "    ProxyJump default-jump");
        List<JumpHost> hops = config.resolve("inner1").proxyJump().orElseThrow().value();
        assertEquals(List.of(new JumpHost(Optional.of("ops"), "jump1.example.com", OptionalInt.of(2201)),
                new JumpHost(Optional.empty(), "2001:db8::7", OptionalInt.of(22)),
                new JumpHost(Optional.empty(), "jump3", OptionalInt.empty())), hops);
        assertEquals("ops@jump1.example.com:2201", hops.get(0).toString());
        assertEquals("-", value(config.resolve("legacy").proxyJump()));
        assertEquals("[]", value(config.resolve("direct").proxyJump()));
        assertEquals("[default-jump]", value(config.resolve("other").proxyJump()));
    }

    @Test
    void readsTheOtherKeywordsFanoutTakes() throws Exception {
        SshConfigFile config = config(
                "Host web1",
                "    IdentitiesOnly yes",
                "    IdentityAgent ${AGENT_DIR}/%u.sock",
                "    StrictHostKeyChecking accept-new",
                "    ConnectTimeout 1m30s",
                "Host web2",
                "    IdentityAgent none",
                "    StrictHostKeyChecking no",
                "    ConnectTimeout none",
                "    UserKnownHostsFile none");
        HostConfig web1 = config.resolve("web1");
        assertEquals(List.of("true", "${AGENT_DIR}/%u.sock", "ACCEPT_NEW", "Optional[PT1M30S]"),
                List.of(value(web1.identitiesOnly()), value(web1.identityAgent()), value(web1.strictHostKeyChecking()),
                        value(web1.connectTimeout())));
        HostConfig web2 = config.resolve("web2");
        assertEquals(List.of("none", "NO", "Optional.empty", "[]"), List.of(value(web2.identityAgent()),
                value(web2.strictHostKeyChecking()), value(web2.connectTimeout()), value(web2.userKnownHostsFiles())));
        assertTrue(config.resolve("web3").isEmpty());
    }

    /** Tokens and "~" expand once user and port are known; HostName is lower-cased, as ssh does. */
    @Test
    void expandsTokensOnceTheUserAndPortAreKnown() throws Exception {
        SshConfigFile config = config(
                "Host Web*",
                "    HostName %h.DC1.example.com",
                "    IdentityFile ~/.ssh/%r@%h:%p-%n-%u-%%",
                "    IdentityAgent ${AGENT_DIR}/%u.sock",
                "    UserKnownHostsFile %d/.ssh/known_hosts.%k",
                "    HostKeyAlias web-pool");
        HostSettings web = config.settle(config.resolve("Web1"), "deploy", 2222);
        String home = dir.resolve("home").toString();
        String localUser = System.getProperty("user.name");
        assertEquals("web1.dc1.example.com", web.hostName());
        assertEquals(Path.of(home + "/.ssh/deploy@web1.dc1.example.com:2222-Web1-" + localUser + "-%"),
                web.identityFiles().get(0).value());
        assertEquals(Optional.of(Path.of("/run/agents/" + localUser + ".sock")),
                web.identityAgent().orElseThrow().value());
        assertEquals(List.of(Path.of(home + "/.ssh/known_hosts.web-pool")),
                web.userKnownHostsFiles().orElseThrow().value());
        assertEquals("web-pool", web.hostKeyName());
        HostSettings plain = config.settle(config.resolve("10.0.0.7"), "root", 2200);
        assertEquals("[10.0.0.7]:2200", plain.hostKeyName());
        assertEquals("10.0.0.7", config.settle(config.resolve("10.0.0.7"), "root", 22).hostKeyName());
    }

    @Test
    void readsSshAuthSockAndEnvironmentAgents() throws Exception {
        SshConfigFile config = config("Host a", "    IdentityAgent SSH_AUTH_SOCK", "Host b",
                "    IdentityAgent $AGENT_DIR", "Host c", "    IdentityAgent $NOT_SET");
        assertEquals(Optional.of(Path.of("/run/user/agent.sock")),
                config.settle(config.resolve("a"), "u", 22).identityAgent().orElseThrow().value());
        assertEquals(Optional.of(Path.of("/run/agents")),
                config.settle(config.resolve("b"), "u", 22).identityAgent().orElseThrow().value());
        IllegalArgumentException unset = assertThrows(IllegalArgumentException.class,
                () -> config.settle(config.resolve("c"), "u", 22));
        assertEquals(dir.resolve("config") + ":6: IdentityAgent $NOT_SET: NOT_SET is not set", unset.getMessage());
    }

    /** A token fanout cannot expand drops that value with a warning; the rest of the file still applies. */
    @Test
    void dropsAValueWithATokenItCannotExpand() throws Exception {
        SshConfigFile config = config("Host *", "    IdentityFile ~/.ssh/%C", "    IdentityFile ~/.ssh/id_ok");
        assertEquals(List.of("~/.ssh/id_ok"),
                config.resolve("web1").identityFiles().stream().map(Setting::value).toList());
        assertTrue(config.warnings().get(0).contains(":2: IdentityFile ignored: token %C"), config.warnings().get(0));
    }

    /** As ssh, a bad value is an error wherever it is, naming file and line, even in a block no host uses. */
    @Test
    void refusesBadValuesNamingFileAndLine() throws Exception {
        Path file = dir.resolve("config");
        for (List<String> bad : List.of(List.of("Host nothing-matches", "Port 70000"),
                List.of("Host x", "StrictHostKeyChecking maybe"), List.of("Host x", "HostName \"unclosed"),
                List.of("Host x", "UserKnownHostsFile a none"), List.of("Host x", "ConnectTimeout 10q"),
                List.of("Host x", "ProxyJump user@:22"), List.of("Host x", "HostKeyAlias a,b"),
                List.of("Host x", "User a b"))) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> config(bad.toArray(String[]::new)));
            assertTrue(refused.getMessage().startsWith(file + ":2: "), refused.getMessage());
        }
    }

    @Test
    void refusesAnIncludeLoopAndFilesOthersMayWrite() throws Exception {
        Files.write(dir.resolve("home/.ssh/loop"), List.of("Include loop"));
        IllegalArgumentException loop = assertThrows(IllegalArgumentException.class, () -> config("Include loop"));
        assertTrue(loop.getMessage().contains("nested Includes"), loop.getMessage());
        Path shared = Files.write(dir.resolve("home/.ssh/shared"), List.of("User x"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-rw-r--"));
        IllegalArgumentException unsafe = assertThrows(IllegalArgumentException.class,
                () -> config("Include shared"));
        assertTrue(unsafe.getMessage().contains("bad owner or permissions"), unsafe.getMessage());
        Path own = Files.write(dir.resolve("home/.ssh/config"), List.of("User x"));
        Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertThrows(IllegalArgumentException.class, () -> SshConfigParser.userConfig(user));
    }

    @Test
    void readsAMissingUserConfigAsEmptyButRefusesAMissingNamedFile() {
        assertTrue(SshConfigParser.userConfig(user).resolve("web1").isEmpty());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SshConfigParser.file(dir.resolve("nope"), user));
        assertEquals("ssh config " + dir.resolve("nope") + " is not a readable file", missing.getMessage());
        assertFalse(SshConfigParser.userConfig(user).entries().iterator().hasNext());
    }

    @Test
    void readsTimesAsSshDoes() {
        assertEquals(Duration.ofSeconds(10), SshConfigParser.time("10"));
        assertEquals(Duration.ofMinutes(90), SshConfigParser.time("1h30m"));
        assertEquals(Duration.ofDays(8), SshConfigParser.time("1w1d"));
        assertThrows(IllegalArgumentException.class, () -> SshConfigParser.time("1h 30m"));
    }
}
