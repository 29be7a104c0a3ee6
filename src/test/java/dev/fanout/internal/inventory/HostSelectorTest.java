package dev.fanout.internal.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fanout.Host;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** --limit (Ansible's grammar) and -x (pdsh's) over a run's hosts and an inventory's groups. */
class HostSelectorTest {

    private static final List<Host> WEB = webHosts();
    private static final Host DB1 = Host.of("postgres", "db1");
    private static final Host DB2 = Host.of("postgres", "db2");
    private static final Host IP1 = new Host("10.0.0.1", 2222, "root");
    private static final Host IP2 = new Host("10.0.0.2", 2222, "root");
    private static final Host V6 = Host.of("deploy", "::1");
    private static final Host V6_PORT = new Host("2001:db8::2", 2222, "deploy");
    private static final Host ZONED = Host.of("deploy", "fe80::1%eth0");
    private static final List<Host> HOSTS = all();
    private static final Map<String, List<Host>> GROUPS = Map.of("web", WEB.subList(0, 5), "prod",
            List.of(WEB.get(2), WEB.get(3), WEB.get(4), WEB.get(5), DB1), "db1", List.of(IP1), "empty", List.of());

    private static List<Host> webHosts() {
        List<Host> web = new ArrayList<>();
        for (String name : HostPatterns.expand("web[01-10].dc1", 100)) {
            web.add(Host.of("deploy", name));
        }
        return List.copyOf(web);
    }

    private static List<Host> all() {
        List<Host> all = new ArrayList<>(WEB);
        all.addAll(List.of(DB1, DB2, IP1, IP2, V6, V6_PORT, ZONED));
        return List.copyOf(all);
    }

    private final HostSelector selector = new HostSelector(HOSTS, GROUPS, false);

    private List<Host> limit(String expression) {
        return selector.limit(expression, "--limit '" + expression + "'");
    }

    private List<Host> web(int... numbers) {
        List<Host> hosts = new ArrayList<>();
        for (int number : numbers) {
            hosts.add(WEB.get(number - 1));
        }
        return hosts;
    }

    private String refused(String expression) {
        return assertThrows(IllegalArgumentException.class, () -> limit(expression)).getMessage();
    }

    @Test
    void limitsAsAnsibleDoesKeepingTheRunsOrder() {
        assertEquals(web(1, 2, 3, 4, 5), limit("web"));
        assertEquals(web(3, 4, 5), limit("web:&prod"));
        assertEquals(web(1, 2, 4, 5), limit("web:!web03.dc1"));
        assertEquals(limit("web:&prod:!web04.dc1"), limit("!web04.dc1,&prod,web"));
        List<Host> notWeb = new ArrayList<>(HOSTS);
        notWeb.removeAll(web(1, 2, 3, 4, 5));
        assertEquals(notWeb, limit("!web"));
        assertEquals(List.of(WEB.get(0), DB1, DB2), limit("db*,web01.dc1"));
        assertEquals(web(1, 2, 9, 10), limit("web[01-02,09-10].dc1"));
        assertEquals(web(1, 10), limit("WEB01.DC1:*10.dc1"));
        assertEquals(List.of(IP1, IP2), limit("root@*"));
        assertEquals(List.of(DB1, IP1), limit("db1"), "a group's hosts and the host of that name, in run order");
        List<Host> ungrouped = new ArrayList<>(HOSTS);
        ungrouped.removeAll(List.of(WEB.get(0), WEB.get(1), WEB.get(2), WEB.get(3), WEB.get(4), WEB.get(5), DB1,
                IP1));
        assertEquals(ungrouped, limit("ungrouped"));
        assertEquals(HOSTS, limit("all"));
    }

    @Test
    void takesPortsAfterAColonAndIpv6InBrackets() {
        assertEquals(List.of(IP1), limit("10.0.0.1:2222"));
        assertEquals(List.of(IP1), limit("10.0.0.[1-3]:2222,!10.0.0.2:2222"));
        assertEquals(List.of(V6), limit("[::1]"));
        assertEquals(List.of(V6), limit("[::1]:22"));
        assertEquals(List.of(V6_PORT), limit("deploy@[2001:DB8::*]:2222"));
        assertEquals(List.of(ZONED), limit("[fe80::1%eth0]"));
        assertEquals(List.of(V6, V6_PORT, ZONED), limit("[*:*]"));
        assertEquals(List.of(IP1), limit("db1:2222"), "a port narrows a group too");
    }

    @Test
    void refusesATermThatNamesNoHostNamingIt() {
        assertEquals("--limit 'web:!web99': '!web99' matches no host of 17 and is no group (groups: db1, empty, prod, "
                + "web) (--allow-empty allows that)", refused("web:!web99"));
        assertEquals("--limit 'web[1-2].dc1': 'web[1-2].dc1' matches no host of 17 and is no group (groups: db1, "
                + "empty, prod, web) (--allow-empty allows that)", refused("web[1-2].dc1"));
        assertEquals("--limit 'empty:web': 'empty' names no host (--allow-empty allows that)", refused("empty:web"));
        assertEquals("--limit '10.0.0.1:22': '10.0.0.1:22' matches no host of 17 and is no group (groups: db1, "
                + "empty, prod, web) (--allow-empty allows that)", refused("10.0.0.1:22"));
        assertEquals("--limit 'web:&db1' leaves no host of 17 (--allow-empty allows that)", refused("web:&db1"));
        assertEquals("--limit 'web::db1': an empty term in 'web::db1' (terms are separated by ',' or ':'; an IPv6 "
                + "address goes in brackets: [2001:db8::7])", refused("web::db1"));
        assertEquals("--limit '2001:db8::2': '2001' is no host nor group (a port follows its host after ':', "
                + "web01:2222; an IPv6 address goes in brackets, [2001:db8::7])", refused("2001:db8::2"));
        assertEquals("--limit 'web:!': '!' names no host nor group", refused("web:!"));
        assertEquals("--limit 'web:99999': invalid port '99999' of 'web' (1..65535)", refused("web:99999"));
        assertEquals("--limit 'web[01': unbalanced brackets in host pattern 'web[01'", refused("web[01"));
        assertEquals("--limit 'web[0x]': invalid range '0x' in host pattern 'web[0x]'", refused("web[0x]"));
        HostSelector allowing = new HostSelector(HOSTS, GROUPS, true);
        assertEquals(web(1), allowing.limit("web01.dc1:web99:empty", "--limit"));
        assertEquals(List.of(), allowing.limit("web:&db1", "--limit"));
    }

    @Test
    void excludesHostsAndGroupsAsPdshDoes() {
        assertEquals(Set.of(WEB.get(0), WEB.get(2), DB1, DB2), selector.excluded("web[01,03].dc1,postgres@*", "-x"));
        assertEquals(Set.copyOf(GROUPS.get("prod")), selector.excluded("prod", "-x"));
        assertEquals("-x: '!web': exclusions name hosts and groups; '!' and '&' belong to --limit",
                assertThrows(IllegalArgumentException.class, () -> selector.excluded("web01.dc1,!web", "-x"))
                        .getMessage());
        assertEquals("hosts.txt:3: 'web11.dc1' matches no host of 17 and is no group (groups: db1, empty, prod, web) "
                + "(--allow-empty allows that)",
                assertThrows(IllegalArgumentException.class,
                        () -> selector.excluded("web11.dc1", "hosts.txt:3")).getMessage());
    }

    /** Several '*' against a long address: each (piece, position) is tried once, not every way of splitting. */
    @Test
    void matchesManyStarsWithoutTryingEverySplit() {
        Host host = Host.of("u", "a".repeat(60) + ".example");
        HostSelector one = new HostSelector(List.of(host), Map.of(), true);
        assertEquals(List.of(), one.limit("*a*a*a*a*a*a*a*a*a*a*a*a*b", "--limit"));
        assertEquals(List.of(host), one.limit("*a*a*a*a*a*a*a*a*a*a*a*a*.example", "--limit"));
    }
}
