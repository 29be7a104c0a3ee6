package dev.fanout.internal.sshconfig;

import java.util.List;

/** One meaningful line of a parsed config, in file order; an {@code Include} holds the files it read. */
sealed interface ConfigEntry {

    /**
     * {@code Host} patterns: the lines up to the next {@code Host} or {@code Match} apply to matching hosts.
     *
     * @param patterns the patterns, each possibly negated with {@code !}
     * @param source where the line is
     */
    record HostLine(List<String> patterns, ConfigSource source) implements ConfigEntry {
    }

    /**
     * A {@code Match} line: fanout does not evaluate its criteria, so its block never applies.
     *
     * @param source where the line is
     */
    record MatchLine(ConfigSource source) implements ConfigEntry {
    }

    /**
     * A keyword fanout takes, its value already checked and converted.
     *
     * @param keyword the keyword
     * @param value its value: String, Integer, Boolean, List or {@link StrictHostKeyChecking}, per keyword
     * @param source where the line is
     */
    record Option(Keyword keyword, Object value, ConfigSource source) implements ConfigEntry {
    }

    /**
     * An {@code Include}: the files it named, each parsed, in the order read.
     *
     * @param files the entries of each file
     * @param source where the line is
     */
    record Include(List<List<ConfigEntry>> files, ConfigSource source) implements ConfigEntry {
    }
}
