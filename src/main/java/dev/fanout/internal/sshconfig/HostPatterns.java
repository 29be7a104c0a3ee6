package dev.fanout.internal.sshconfig;

import java.util.List;

/**
 * {@code Host} patterns as ssh_config(5) defines them: {@code *} matches any run of characters, {@code ?} any one,
 * the rest itself (case matters, as in ssh); a line matches a host when one of its patterns does and none of its
 * negated ({@code !}) patterns does.
 */
final class HostPatterns {

    private HostPatterns() {
    }

    static boolean matches(List<String> patterns, String host) {
        boolean matched = false;
        for (String pattern : patterns) {
            boolean negated = pattern.startsWith("!");
            if (wildcard(negated ? pattern.substring(1) : pattern, host)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    /** Glob matching in linear time: on a mismatch, the last {@code *} takes one more character. */
    static boolean wildcard(String pattern, String text) {
        int p = 0;
        int t = 0;
        int star = -1;
        int resume = 0;
        while (t < text.length()) {
            if (p < pattern.length() && (pattern.charAt(p) == '?' || pattern.charAt(p) == text.charAt(t))) {
                p++;
                t++;
            } else if (p < pattern.length() && pattern.charAt(p) == '*') {
                star = p++;
                resume = t;
            } else if (star >= 0) {
                p = star + 1;
                t = ++resume;
            } else {
                return false;
            }
        }
        while (p < pattern.length() && pattern.charAt(p) == '*') {
            p++;
        }
        return p == pattern.length();
    }
}
