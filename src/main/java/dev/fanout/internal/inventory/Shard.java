package dev.fanout.internal.inventory;

import dev.fanout.Host;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One of {@code count} shares of a run's hosts, so that {@code count} processes (a Kubernetes Indexed Job, say) run
 * one inventory between them, each host exactly once.
 *
 * <p>The hosts are ordered by the SHA-256 of their {@code user@host:port} and cut into {@code count} runs of
 * consecutive hosts whose sizes differ by at most one; share {@code index} is the {@code index}-th cut (from 0, as a
 * Job's completion index counts). A host's share therefore depends only on the set of hosts, never on the order in
 * which the inventory lists them, and every process that reads the same hosts computes the same cut. Immutable.
 *
 * @param index which share, {@code 0 <= index < count}
 * @param count how many shares
 */
public record Shard(int index, int count) {

    private static final Pattern SPEC = Pattern.compile("(\\d{1,9})/(\\d{1,9})");

    /** Checks the bounds. */
    public Shard {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("shard " + index + "/" + count + ": want K/N with N >= 1 and "
                    + "0 <= K < N (shares count from 0, like a Kubernetes Job's completion index)");
        }
    }

    /**
     * Reads {@code K/N}.
     *
     * @throws IllegalArgumentException naming the text and the form wanted
     */
    public static Shard parse(String spec) {
        Matcher matcher = SPEC.matcher(spec.strip());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("shard '" + spec + "': want K/N, e.g. 0/4 for the first of four "
                    + "shares");
        }
        return new Shard(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)));
    }

    /**
     * This share of {@code hosts}, in their order.
     *
     * @param hosts the run's hosts, each once
     */
    public List<Host> of(List<Host> hosts) {
        if (count == 1) {
            return hosts;
        }
        List<Keyed> keyed = new ArrayList<>(hosts.size());
        for (Host host : hosts) {
            String name = host.toString();
            keyed.add(new Keyed(digest(name), name, host));
        }
        keyed.sort(Comparator.comparing(Keyed::digest).thenComparing(Keyed::name));
        int from = (int) ((long) hosts.size() * index / count);
        int to = (int) ((long) hosts.size() * (index + 1) / count);
        Set<Host> mine = new HashSet<>();
        for (Keyed entry : keyed.subList(from, to)) {
            mine.add(entry.host());
        }
        return hosts.stream().filter(mine::contains).toList();
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    private static String digest(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private record Keyed(String digest, String name, Host host) {
    }
}
