package dev.fanout;

/**
 * The syntax of the addresses a {@link Host} accepts: host names, IPv4 and IPv6 addresses, and nothing else. A
 * host's address is written into known_hosts (where {@code *}, {@code ?}, {@code !} and {@code ,} are patterns) and
 * names the file {@code fetch} writes per host (where {@code /} and {@code ..} leave the directory), so anything
 * beyond this syntax is refused rather than escaped.
 *
 * <ul>
 * <li>Host names: dot-separated labels of letters, digits, {@code -} and {@code _}, each 1 to 63 characters that
 * begin and end with a letter or digit (RFC 1123), at most 253 characters in all; no trailing dot. The
 * underscore is beyond RFC 1123 but common in real inventories (Docker Compose services, Windows and AD
 * names) and OpenSSH connects to such names; it is neither a known_hosts pattern character nor a path
 * separator.</li>
 * <li>IPv4: four decimal numbers 0-255 without leading zeros ({@code 010} is 8 to C resolvers, 10 to Java). A
 * name of digits and dots only must be one.</li>
 * <li>IPv6: RFC 4291 text (one {@code ::} at most, an IPv4 tail allowed), optionally {@code %zone} of letters,
 * digits, {@code .}, {@code -} and {@code _}; without brackets.</li>
 * </ul>
 */
final class HostAddresses {

    private static final int MAX_NAME_LENGTH = 253;
    private static final int MAX_LABEL_LENGTH = 63;
    private static final int MAX_SHOWN = 64;

    private HostAddresses() {
    }

    /**
     * Checks an address.
     *
     * @throws IllegalArgumentException naming the address (control characters escaped) and what is wrong with it
     */
    static void requireValid(String address) {
        String problem = problem(address);
        if (problem != null) {
            throw new IllegalArgumentException("invalid host address " + quote(address) + ": " + problem);
        }
    }

    /** The text in single quotes, control and format characters escaped, cut after {@value #MAX_SHOWN}. */
    static String quote(String text) {
        StringBuilder quoted = new StringBuilder("'");
        int shown = Math.min(text.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        quoted.append('\'');
        if (text.length() > shown) {
            quoted.append("... (").append(text.length()).append(" characters)");
        }
        return quoted.toString();
    }

    private static String problem(String address) {
        if (address.isEmpty()) {
            return "empty";
        }
        if (address.indexOf(':') >= 0) {
            return ipv6Problem(address);
        }
        if (address.chars().allMatch(c -> c == '.' || isDigit(c))) {
            return ipv4Problem(address) == null ? null : "digits and dots only, but not an IPv4 address (four "
                    + "numbers 0-255 without leading zeros)";
        }
        return hostNameProblem(address);
    }

    private static String hostNameProblem(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isLetterOrDigit(c) && c != '-' && c != '_' && c != '.') {
                return "a host name has letters, digits, '-', '_' and '.' only, not " + quote(String.valueOf(c));
            }
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "a host name has at most " + MAX_NAME_LENGTH + " characters, this one " + name.length();
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "empty label (a leading, trailing or doubled '.')";
            }
            if (label.length() > MAX_LABEL_LENGTH) {
                return "label '" + label + "' is longer than " + MAX_LABEL_LENGTH + " characters";
            }
            if (!isLetterOrDigit(label.charAt(0)) || !isLetterOrDigit(label.charAt(label.length() - 1))) {
                return "label '" + label + "' must begin and end with a letter or digit";
            }
        }
        return null;
    }

    private static String ipv4Problem(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return "not four numbers";
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(HostAddresses::isDigit)
                    || (part.length() > 1 && part.charAt(0) == '0') || Integer.parseInt(part) > 255) {
                return "'" + part + "' is not a number 0-255 without leading zeros";
            }
        }
        return null;
    }

    private static String ipv6Problem(String address) {
        String body = address;
        int percent = address.indexOf('%');
        if (percent >= 0) {
            String zone = address.substring(percent + 1);
            if (zone.isEmpty() || !zone.chars().allMatch(c -> isLetterOrDigit(c) || c == '.' || c == '-'
                    || c == '_')) {
                return "an IPv6 zone has letters, digits, '.', '-' and '_' only";
            }
            body = address.substring(0, percent);
        }
        int gap = body.indexOf("::");
        if (gap >= 0 && body.indexOf("::", gap + 1) >= 0) {
            return "not an IPv6 address (more than one '::')";
        }
        String[] groups = gap < 0 ? body.split(":", -1)
                : concat(split(body.substring(0, gap)), split(body.substring(gap + 2)));
        int count = 0;
        for (int i = 0; i < groups.length; i++) {
            String group = groups[i];
            boolean last = i == groups.length - 1;
            if (last && group.indexOf('.') >= 0 && !body.endsWith(":")) {
                if (ipv4Problem(group) != null) {
                    return "not an IPv6 address (bad IPv4 tail '" + group + "')";
                }
                count += 2;
            } else if (group.isEmpty() || group.length() > 4 || !group.chars().allMatch(HostAddresses::isHexDigit)) {
                return "not an IPv6 address (groups are 1 to 4 hexadecimal digits)";
            } else {
                count++;
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return "not an IPv6 address (" + count + " groups)";
        }
        return null;
    }

    private static String[] split(String groups) {
        return groups.isEmpty() ? new String[0] : groups.split(":", -1);
    }

    private static String[] concat(String[] first, String[] second) {
        String[] all = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLetterOrDigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isHexDigit(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
