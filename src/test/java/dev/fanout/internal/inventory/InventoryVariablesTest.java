package dev.fanout.internal.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.fanout.Host;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code vars:} of a YAML inventory, as the example inventory in config/ shows them. */
class InventoryVariablesTest {

    @Test
    void theExampleInventoryGivesEachHostTheDefaultsGroupAndOwnVariablesTheHostsWinning() {
        Inventory.Contents contents = new Inventory(null, 22, 100_000).read(Path.of("config", "hosts.example.yaml"));
        assertEquals(Map.of("env", "prod", "agent_id", "db1-7f3a"),
                contents.vars().get(new Host("db1.example.net", 22, "postgres")));
        assertEquals(Map.of("env", "edge"), contents.vars().get(new Host("10.0.3.254", 22, "root")));
        assertEquals(Map.of("env", "prod"), contents.vars().get(new Host("lab-a", 2200, "deploy")));
        assertEquals(Map.of("env", "prod"), contents.vars().get(new Host("web01.dc1.example.net", 22, "deploy")));
    }
}
