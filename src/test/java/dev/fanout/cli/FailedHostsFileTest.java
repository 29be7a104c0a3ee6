package dev.fanout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.internal.inventory.CredentialSpec;
import dev.fanout.internal.inventory.Inventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code --failed-hosts} writes reads back through {@code -i} to the same hosts and credentials. */
class FailedHostsFileTest {

    private static final Host V6 = new Host("2001:db8::7", 2200, "root");
    private static final Host ZONED = new Host("fe80::1%eth0", 22, "admin");
    private static final Host NAMED = new Host("web01.dc1", 22, "deploy");
    private static final Host NUMERIC_USER = new Host("10.0.0.7", 2222, "1000");

    @TempDir
    Path dir;

    private final Inventory inventory = new Inventory(null, 22, 10);

    @Test
    void writesAPlainListThatReadsBackUnchanged() throws Exception {
        Path file = dir.resolve("failed.txt");
        List<Host> hosts = List.of(V6, ZONED, NAMED, NUMERIC_USER);
        new FailedHostsFile(file, Map.of(), Map.of()).write(hosts);
        assertEquals(List.of("root@[2001:db8::7]:2200", "admin@[fe80::1%eth0]:22", "deploy@web01.dc1:22",
                "1000@10.0.0.7:2222"), Files.readAllLines(file));
        assertEquals(hosts, inventory.read(file).hosts());
    }

    /**
     * Two inventories may each name a set "ops", differently: each host keeps its own set, the second renamed;
     * hosts without a set of their own keep none (the command line's credentials apply to them, as before).
     */
    @Test
    void writesAYamlInventoryThatKeepsEachHostsCredentials() throws Exception {
        CredentialSpec ops = new CredentialSpec(Optional.of("OPS_PASSWORD"), Optional.empty(), List.of(),
                Optional.empty());
        CredentialSpec otherOps = new CredentialSpec(Optional.empty(), Optional.of(Path.of("/etc/fanout/pw")),
                List.of(Path.of("~/.ssh/id_ed25519"), Path.of("keys/id_rsa")), Optional.of("KEY_PASSPHRASE"));
        Path file = dir.resolve("failed.yaml");
        List<Host> hosts = List.of(V6, ZONED, NAMED, NUMERIC_USER);
        new FailedHostsFile(file, Map.of(V6, new FailedHostsFile.Source("ops", ops), NAMED,
                new FailedHostsFile.Source("ops", otherOps), NUMERIC_USER, new FailedHostsFile.Source("ops", ops)),
                Map.of(V6, Map.of("agent_id", "7f3a", "note", "'; rm -rf /"), ZONED, Map.of("agent_id", "007")))
                .write(hosts);
        Inventory.Contents contents = inventory.read(file);
        assertEquals(hosts, contents.hosts());
        assertEquals(Map.of(V6, "ops", NAMED, "ops-2", NUMERIC_USER, "ops"), contents.credentialNames());
        assertEquals(Map.of("ops", ops, "ops-2", otherOps), contents.credentials());
        assertEquals(Map.of(V6, Map.of("agent_id", "7f3a", "note", "'; rm -rf /"), ZONED, Map.of("agent_id", "007")),
                contents.vars());
    }

    @Test
    void refusesAPlainListWhenHostsHaveCredentialsOfTheirOwn() {
        CredentialSpec ops = new CredentialSpec(Optional.of("OPS_PASSWORD"), Optional.empty(), List.of(),
                Optional.empty());
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new FailedHostsFile(
                dir.resolve("failed.list"), Map.of(NAMED, new FailedHostsFile.Source("ops", ops)), Map.of()));
        assertTrue(error.getMessage().contains(NAMED + ": name it .yaml"), error.getMessage());
    }

    @Test
    void refusesAPlainListWhenHostsHaveVariables() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new FailedHostsFile(
                dir.resolve("failed.list"), Map.of(), Map.of(NAMED, Map.of("agent_id", "7"))));
        assertTrue(error.getMessage().contains("variables inventories give " + NAMED + ": name it .yaml"),
                error.getMessage());
    }
}
