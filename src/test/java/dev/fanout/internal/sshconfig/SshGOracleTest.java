package dev.fanout.internal.sshconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.internal.sshconfig.HostConfig.Setting;
import dev.fanout.testing.Processes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * The honest oracle: OpenSSH's own client, {@code ssh -G -F FILE HOST}, prints what it makes of a host from a
 * config; fanout's resolver must make the same of every keyword it takes, host after host.
 */
class SshGOracleTest {

    private static final List<String> HOSTS = List.of("web1", "web7", "Web1", "db1", "mail", "bastion", "jx", "nx",
            "yx", "10.0.0.7", "shop.co.uk", "pc7.dialup.example.com");

    @TempDir
    Path dir;

    @Test
    void resolvesEveryHostAsSshDashGDoes() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/ssh")) && !"true".equals(System.getenv("CI"))) {
            throw new TestAbortedException("the OpenSSH client is not installed");
        }
        Path confD = Files.createDirectories(dir.resolve("conf.d"));
        Files.write(confD.resolve("20-b.conf"), List.of("Host web*", "    User from-b", "    Port 2002"));
        Files.write(confD.resolve("10-a.conf"), List.of("Host web*", "    User from-a"));
        Files.write(dir.resolve("db.conf"), List.of("User db-admin", "Host *", "    Port 5432"));
        Path config = Files.write(dir.resolve("config"), List.of(
                "ConnectTimeout 12",
                "Include " + confD + "/*.conf",
                "Host Web1",
                "    User upper",
                "    HostName %h.Example.COM",
                "Host db*",
                "    Include " + dir.resolve("db.conf"),
                "    HostName DB.Internal",
                "    HostKeyAlias db-pool",
                "Host j*",
                "    ProxyJump ops@jump1:2201,[2001:db8::7]:22,ssh://jump3",
                "    StrictHostKeyChecking accept-new",
                "    IdentitiesOnly yes",
                "    IdentityAgent ${HOME}/agent-%u.sock",
                "    UserKnownHostsFile ~/.ssh/kh_%h %d/kh2",
                "    IdentityFile ~/.ssh/id_%r@%h",
                "Host n*",
                "    ProxyJump none",
                "    StrictHostKeyChecking no",
                "    IdentityAgent none",
                "    UserKnownHostsFile none",
                "Host y*",
                "    StrictHostKeyChecking yes",
                "Host *.co.uk 10.0.0.?",
                "    Port 2200",
                "    IdentityFile ~/.ssh/uk",
                "Host *.example.com !*.dialup.example.com",
                "    User staff",
                "Host * !bastion",
                "    ProxyJump bastion",
                "Host *",
                "    IdentityFile ~/.ssh/id_all",
                "    IdentityFile ~/.ssh/uk",
                "    User everyone-else"));
        SshConfigFile file = SshConfigParser.file(config, LocalUser.current());
        List<String> differences = new ArrayList<>();
        for (String host : HOSTS) {
            Map<String, String> expected = sshDashG(config, host);
            Map<String, String> actual = fanout(file, host);
            actual.forEach((keyword, value) -> {
                if (!value.equals(expected.get(keyword))) {
                    differences.add(host + ": " + keyword + " is '" + value + "' in fanout, '"
                            + expected.get(keyword) + "' in ssh -G");
                }
            });
        }
        assertEquals(List.of(), differences);
    }

    /** ssh's view: each keyword's lines, joined by '|' where it prints several (identityfile). */
    private static Map<String, String> sshDashG(Path config, String host) throws Exception {
        return Processes.run(List.of("ssh", "-G", "-F", config.toString(), host)).lines()
                .map(line -> line.split(" ", 2)).filter(parts -> parts.length == 2)
                .collect(Collectors.toMap(parts -> parts[0], parts -> parts[1], (a, b) -> a + "|" + b));
    }

    /** fanout's view, printed as ssh -G prints it; for a keyword the config leaves unset, ssh's default. */
    private static Map<String, String> fanout(SshConfigFile file, String host) {
        HostConfig config = file.resolve(host);
        HostSettings settled = file.settle(config, config.user().map(Setting::value)
                .orElse(System.getProperty("user.name")), config.port().map(Setting::value).orElse(22));
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("user", settled.user());
        shown.put("hostname", settled.hostName());
        shown.put("port", Integer.toString(settled.port()));
        if (!config.identityFiles().isEmpty()) {
            shown.put("identityfile", config.identityFiles().stream().map(Setting::value)
                    .collect(Collectors.joining("|")));
        }
        shown.put("identitiesonly", settled.identitiesOnly() ? "yes" : "no");
        settled.identityAgent().ifPresent(agent -> shown.put("identityagent",
                agent.value().map(Path::toString).orElse("none")));
        settled.proxyJump().filter(hops -> !hops.value().isEmpty()).ifPresent(hops -> shown.put("proxyjump",
                hops.value().stream().map(JumpHost::toString).collect(Collectors.joining(","))));
        shown.put("stricthostkeychecking", settled.strictHostKeyChecking().map(Setting::value)
                .map(strict -> switch (strict) {
                    case YES -> "true";
                    case NO -> "false";
                    case ACCEPT_NEW -> "accept-new";
                    case ASK -> "ask";
                }).orElse("ask"));
        shown.put("connecttimeout", settled.connectTimeout().map(Setting::value).flatMap(timeout -> timeout)
                .map(timeout -> Long.toString(timeout.toSeconds())).orElse("none"));
        String home = System.getProperty("user.home");
        shown.put("userknownhostsfile", settled.userKnownHostsFiles().map(Setting::value)
                .map(files -> files.isEmpty() ? "none"
                        : files.stream().map(Path::toString).collect(Collectors.joining(" ")))
                .orElse(home + "/.ssh/known_hosts " + home + "/.ssh/known_hosts2"));
        settled.hostKeyAlias().ifPresent(alias -> shown.put("hostkeyalias", alias.value()));
        return shown;
    }
}
