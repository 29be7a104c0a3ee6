package dev.fanout.internal.inventory;

import dev.fanout.Host;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Chooses among the hosts of a run by Ansible's {@code --limit} grammar and pdsh's {@code -x}.
 *
 * <p>An expression is terms separated by {@code ,} or {@code :} (outside brackets). A term is a group name, or
 * {@code [user@]PATTERN} ({@link HostMatcher}); a term of digits after {@code :} is the port of the term before
 * ({@code web01:2222}, {@code [::1]:2222}), so an IPv6 address goes in brackets. A group's term names its hosts and
 * also any host of that address. In a limit, {@code !TERM} leaves out, {@code &TERM} keeps only, plain terms add: as
 * in Ansible, the hosts are those of the plain terms (every host when there are none), of every {@code &} term, of no
 * {@code !} term, whatever the order; they keep the run's order. A term that names no host is an error unless empty
 * results are allowed. Immutable.
 */
public final class HostSelector {

    /**
     * One term of an expression.
     *
     * @param operator {@code '!'}, {@code '&'} or {@code ' '} for none
     * @param text the term as written, for messages
     * @param name the group or pattern, with its user if any
     * @param port the port given after it, if any
     */
    record Term(char operator, String text, String name, OptionalInt port) {
    }

    private final List<Host> hosts;
    private final Map<String, List<Host>> groups;
    private final boolean allowEmpty;

    /**
     * @param hosts every host of the run, each once, in run order
     * @param groups the hosts of each named group ({@link Inventory#ALL} and {@link Inventory#UNGROUPED} are added)
     * @param allowEmpty whether a term that names no host, and a choice of no host, are allowed
     */
    public HostSelector(List<Host> hosts, Map<String, List<Host>> groups, boolean allowEmpty) {
        this.hosts = List.copyOf(hosts);
        this.groups = Map.copyOf(groups);
        this.allowEmpty = allowEmpty;
    }

    /**
     * The hosts a {@code --limit} expression chooses, in run order.
     *
     * @param where what to name in messages, e.g. {@code --limit 'web:!web03'}
     * @throws IllegalArgumentException for a malformed expression, a term that names no host or no host chosen
     */
    public List<Host> limit(String expression, String where) {
        List<Term> terms = parse(expression, where);
        Set<Host> chosen = new HashSet<>();
        List<Term> plain = terms.stream().filter(term -> term.operator() == ' ').toList();
        if (plain.isEmpty()) {
            chosen.addAll(hosts);
        }
        plain.forEach(term -> chosen.addAll(named(term, where)));
        terms.stream().filter(term -> term.operator() == '&').forEach(term -> chosen.retainAll(named(term, where)));
        terms.stream().filter(term -> term.operator() == '!').forEach(term -> chosen.removeAll(named(term, where)));
        List<Host> result = hosts.stream().filter(chosen::contains).toList();
        if (result.isEmpty() && !allowEmpty) {
            throw new IllegalArgumentException(where + " leaves no host of " + hosts.size() + " (--allow-empty "
                    + "allows that)");
        }
        return result;
    }

    /**
     * The hosts an exclusion list ({@code -x}, a line of {@code --exclude-file}) names: terms without operators.
     *
     * @param where what to name in messages, e.g. {@code -x 'web03'} or {@code FILE:LINE}
     * @throws IllegalArgumentException for a malformed list, an operator or a term that names no host
     */
    public Set<Host> excluded(String list, String where) {
        Set<Host> excluded = new HashSet<>();
        for (Term term : parse(list, where)) {
            if (term.operator() != ' ') {
                throw new IllegalArgumentException(where + ": '" + term.text() + "': exclusions name hosts and "
                        + "groups; '!' and '&' belong to --limit");
            }
            excluded.addAll(named(term, where));
        }
        return excluded;
    }

    /** The hosts exactly equal to one of {@code listed}; each must be a host of the run. */
    public Set<Host> exactly(List<Host> listed, String where) {
        Set<Host> all = new HashSet<>(hosts);
        for (Host host : listed) {
            if (!all.contains(host) && !allowEmpty) {
                throw new IllegalArgumentException(where + ": " + host + " is no host of this run (--allow-empty "
                        + "allows that)");
            }
        }
        return new HashSet<>(listed);
    }

    private Set<Host> named(Term term, String where) {
        HostMatcher matcher;
        try {
            matcher = HostMatcher.parse(term.name(), term.port());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
        String name = term.name();
        List<Host> group = name.equals(Inventory.ALL) ? hosts
                : name.equals(Inventory.UNGROUPED) ? ungrouped() : groups.getOrDefault(name, List.of());
        Set<Host> named = new LinkedHashSet<>();
        for (Host host : group) {
            if (term.port().isEmpty() || term.port().getAsInt() == host.port()) {
                named.add(host);
            }
        }
        hosts.stream().filter(matcher::matches).forEach(named::add);
        if (named.isEmpty() && !allowEmpty) {
            boolean isGroup = groups.containsKey(name) || name.equals(Inventory.ALL)
                    || name.equals(Inventory.UNGROUPED);
            throw new IllegalArgumentException(where + ": '" + term.text() + "' " + (isGroup ? "names no host"
                    : "matches no host of " + hosts.size() + groupsHint()) + " (--allow-empty allows that)");
        }
        return named;
    }

    private String groupsHint() {
        return groups.isEmpty() ? "" : " and is no group (groups: " + String.join(", ", new TreeSet<>(
                groups.keySet())) + ")";
    }

    private List<Host> ungrouped() {
        Set<Host> grouped = new HashSet<>();
        groups.values().forEach(grouped::addAll);
        return hosts.stream().filter(host -> !grouped.contains(host)).toList();
    }

    /**
     * Cuts an expression into terms.
     *
     * @throws IllegalArgumentException for an empty term, a port without a host, or an operator without a term
     */
    static List<Term> parse(String expression, String where) {
        List<Term> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        char separator = ',';
        for (int i = 0; i <= expression.length(); i++) {
            char c = i < expression.length() ? expression.charAt(i) : ',';
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if ((c == ',' || c == ':') && (depth <= 0 || i == expression.length())) {
                String token = expression.substring(start, i).strip();
                if (separator == ':' && !token.isEmpty() && token.chars().allMatch(Character::isDigit)
                        && !terms.isEmpty() && terms.get(terms.size() - 1).port().isEmpty()) {
                    terms.set(terms.size() - 1, withPort(terms.get(terms.size() - 1), token, where));
                } else {
                    terms.add(term(token, expression, where));
                }
                separator = c;
                start = i + 1;
            }
        }
        return terms;
    }

    private static Term term(String token, String expression, String where) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException(where + ": an empty term in '" + expression + "' (terms are separated "
                    + "by ',' or ':'; an IPv6 address goes in brackets: [2001:db8::7])");
        }
        if (token.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(where + ": '" + token + "' is no host nor group (a port follows its "
                    + "host after ':', web01:2222; an IPv6 address goes in brackets, [2001:db8::7])");
        }
        char operator = token.charAt(0) == '!' || token.charAt(0) == '&' ? token.charAt(0) : ' ';
        String name = operator == ' ' ? token : token.substring(1).strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException(where + ": '" + token + "' names no host nor group");
        }
        return new Term(operator, token, name, OptionalInt.empty());
    }

    private static Term withPort(Term term, String digits, String where) {
        int port;
        try {
            port = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            port = 0;
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(where + ": invalid port '" + digits + "' of '" + term.text()
                    + "' (1..65535)");
        }
        return new Term(term.operator(), term.text() + ":" + digits, term.name(), OptionalInt.of(port));
    }
}
