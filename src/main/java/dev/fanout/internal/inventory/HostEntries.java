package dev.fanout.internal.inventory;

import dev.fanout.Host;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes hosts as entries of a host list that {@link Inventory} reads back to the same hosts given the same default
 * user and port: {@code [user@]address[:port]}, the user and port left out where they are the defaults, an IPv6
 * address in brackets when a port follows it. Immutable.
 */
public final class HostEntries {

    private final String defaultUser;
    private final int defaultPort;

    /**
     * @param defaultUser the user of entries that name none
     * @param defaultPort the port of entries that name none
     */
    public HostEntries(String defaultUser, int defaultPort) {
        this.defaultUser = defaultUser;
        this.defaultPort = defaultPort;
    }

    /** One host's entry: {@code web01}, {@code root@web01:2222}, {@code ::1}, {@code [::1]:2222}. */
    public String entry(Host host) {
        String address = host.address();
        boolean portShown = host.port() != defaultPort;
        return userPrefix(host) + (portShown && isIpv6(address) ? "[" + address + "]" : address) + portSuffix(host);
    }

    /**
     * The hosts folded into patterns, one entry each ({@code web[01-07,09].dc1}, {@code root@10.0.[0-3].[1-254]}):
     * the hosts of one user and port folded together ({@link HostPatterns#fold}), users and ports in the order of
     * their first hosts. An IPv6 address with a port of its own stays an entry of its own, since a bracketed address is
     * never a
     * pattern. Expanded, the entries give exactly the hosts, each once.
     */
    public List<String> folded(List<Host> hosts) {
        Map<String, List<String>> addressesByEntry = new LinkedHashMap<>();
        for (Host host : hosts) {
            String key = isIpv6(host.address()) && host.port() != defaultPort ? entry(host)
                    : userPrefix(host) + "\u0000" + portSuffix(host);
            addressesByEntry.computeIfAbsent(key, k -> new ArrayList<>()).add(host.address());
        }
        List<String> entries = new ArrayList<>();
        addressesByEntry.forEach((key, addresses) -> {
            int separator = key.indexOf('\u0000');
            if (separator < 0) {
                entries.add(key);
                return;
            }
            String prefix = key.substring(0, separator);
            String suffix = key.substring(separator + 1);
            HostPatterns.foldEach(addresses).forEach(pattern -> entries.add(prefix + pattern + suffix));
        });
        return entries;
    }

    private String userPrefix(Host host) {
        return host.user().equals(defaultUser) ? "" : host.user() + "@";
    }

    private String portSuffix(Host host) {
        return host.port() == defaultPort ? "" : ":" + host.port();
    }

    private static boolean isIpv6(String address) {
        return address.indexOf(':') >= 0;
    }
}
