package dev.fanout.internal.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fanout.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inventories: IPv6 in every form a YAML inventory takes, and groups by name. */
class InventoryTest {

    @TempDir
    Path dir;

    private final Inventory inventory = new Inventory("deploy", 22, 1000);

    private Inventory.Contents read(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return inventory.read(file);
    }

    private String refused(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return assertThrows(IllegalArgumentException.class, () -> inventory.read(file)).getMessage();
    }

    @Test
    void readsIpv6AddressesInEveryFormOfAYamlInventory() throws IOException {
        Inventory.Contents contents = read("v6.yaml", """
                hosts:
                  - ::1
                  - "[::1]:2222"
                  - root@[fe80::1%eth0]:2200
                  - 2001:db8::[1-2]
                  - host: ::2
                    port: 2201
                  - host: "[::3]:2202"
                    user: admin
                groups:
                  edge:
                    port: 2203
                    hosts: ["[::4]", "u@::5", fe80::6%lo]
                """);
        assertEquals(List.of(new Host("::1", 22, "deploy"), new Host("::1", 2222, "deploy"),
                new Host("fe80::1%eth0", 2200, "root"), new Host("2001:db8::1", 22, "deploy"),
                new Host("2001:db8::2", 22, "deploy"), new Host("::2", 2201, "deploy"),
                new Host("::3", 2202, "admin"), new Host("::4", 2203, "deploy"), new Host("::5", 2203, "u"),
                new Host("fe80::6%lo", 2203, "deploy")), contents.hosts());
    }

    /** Unquoted, a leading '[' is a YAML list: the error says to quote it, naming the line. */
    @Test
    void tellsToQuoteABracketThatYamlReadsAsAList() throws IOException {
        assertEquals(dir.resolve("a.yaml") + ":2: malformed YAML: expected the node content, but found ':' (in YAML a "
                + "'[' starts a list: quote a host that starts with '[', and a pattern inside [...]: - "
                + "\"[2001:db8::7]:2200\", hosts: [\"web[01-10]\"])", refused("a.yaml", "hosts:\n  - [::1]:2222\n"));
        assertEquals(dir.resolve("b.yaml") + ": hosts[1] is a YAML list, not a host: (in YAML a '[' starts a list: "
                + "quote a host that starts with '[', and a pattern inside [...]: - \"[2001:db8::7]:2200\", hosts: "
                + "[\"web[01-10]\"])", refused("b.yaml", "hosts:\n  - web01\n  - [web02, web03]\n"));
        assertEquals(dir.resolve("c.yaml") + ":4: malformed YAML: expected ',' or ']', but got [ (in YAML a '[' "
                + "starts a list: quote a host that starts with '[', and a pattern inside [...]: - "
                + "\"[2001:db8::7]:2200\", hosts: [\"web[01-10]\"])",
                refused("c.yaml", "groups:\n  web:\n    user: root\n    hosts: [web[01-10]]\n"));
    }

    /**
     * Groups keep their hosts by name, in file order; their hosts are the inventory's hosts too, a host in several
     * groups once.
     */
    @Test
    void keepsTheHostsOfEachGroupByName() throws IOException {
        Inventory.Contents contents = read("groups.yml", """
                hosts: [db1]
                groups:
                  web:
                    hosts: ["web[02-03]", web01, db1]
                  prod.eu-1:
                    user: root
                    hosts: [web01, db1]
                  _empty: {}
                """);
        assertEquals(List.of(Host.of("deploy", "db1"), Host.of("deploy", "web02"), Host.of("deploy", "web03"),
                Host.of("deploy", "web01"), Host.of("root", "web01"), Host.of("root", "db1")), contents.hosts());
        assertEquals(List.of("web", "prod.eu-1", "_empty"), List.copyOf(contents.groups().keySet()));
        assertEquals(Map.of("web", List.of(Host.of("deploy", "web02"), Host.of("deploy", "web03"),
                Host.of("deploy", "web01"), Host.of("deploy", "db1")), "prod.eu-1",
                List.of(Host.of("root", "web01"), Host.of("root", "db1")),
                "_empty", List.of()), contents.groups());
        assertEquals(Map.of(), read("plain.txt", "web01\n").groups());
    }

    /** A group's name is written in --limit: separators, a leading digit and the reserved names are refused. */
    @Test
    void refusesGroupNamesThatLimitCannotName() throws IOException {
        for (String name : List.of("all", "ungrouped")) {
            assertEquals(dir.resolve("g.yaml") + ": groups." + name + ": '" + name + "' is a reserved group name "
                    + "(all: every host, ungrouped: the hosts of no group)",
                    refused("g.yaml", "groups:\n  " + name + ":\n    hosts: [web01]\n"));
        }
        for (String name : List.of("web:db", "'web,db'", "'!web'", "'&web'", "1web", "'web 1'", "'we[b]'", "2024")) {
            String shown = name.replace("'", "");
            assertEquals(dir.resolve("g.yaml") + ": groups." + shown + ": a group name starts with a letter or '_' "
                    + "and has letters, digits, '_', '-' and '.' only (it is written in --limit)",
                    refused("g.yaml", "groups:\n  " + name + ":\n    hosts: [web01]\n"), name);
        }
    }
}
