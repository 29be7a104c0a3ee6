package dev.fanout.internal.hostkey;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One key line of an OpenSSH known_hosts file: an optional {@code @revoked} marker, the host patterns (plain,
 * wildcard, negated or hashed {@code |1|salt|hash}), the key type and the key. Immutable; the key itself is not
 * handed out, only compared ({@link #sameKey}).
 */
final class KnownHostsEntry {

    private static final String REVOKED = "@revoked";
    private static final String CERT_AUTHORITY = "@cert-authority";

    /** {@code @revoked} or empty. */
    private final String marker;
    /** The host field as written. */
    private final String hosts;
    private final String keyType;
    /** The key in SSH wire format. */
    private final byte[] key;
    private final int line;

    private KnownHostsEntry(String marker, String hosts, String keyType, byte[] key, int line) {
        this.marker = marker;
        this.hosts = hosts;
        this.keyType = keyType;
        this.key = key;
        this.line = line;
    }

    /**
     * Parses one line; returns null for blank lines, comments and {@code @cert-authority} lines (fanout does not use
     * host certificates, so their CA keys trust nothing).
     *
     * @throws IllegalArgumentException for a malformed line or an unknown marker, saying what is wrong
     */
    static KnownHostsEntry parse(String text, int line) {
        String trimmed = text.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return null;
        }
        String[] fields = trimmed.split("\\s+", -1);
        String marker = fields[0].startsWith("@") ? fields[0].toLowerCase(Locale.ROOT) : "";
        if (marker.equals(CERT_AUTHORITY)) {
            return null;
        }
        if (!marker.isEmpty() && !marker.equals(REVOKED)) {
            throw new IllegalArgumentException("unknown marker '" + fields[0] + "' (known: @revoked, @cert-authority)");
        }
        int first = marker.isEmpty() ? 0 : 1;
        if (fields.length < first + 3) {
            throw new IllegalArgumentException("expected [marker] hosts keytype key");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(fields[first + 2]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not valid Base64", e);
        }
        return new KnownHostsEntry(marker, fields[first], fields[first + 1], key, line);
    }

    /**
     * The lower-cased names this entry matches exactly, when its host field is a plain list of names (no wildcard,
     * negation or hash); empty otherwise. Such entries can be found by name instead of by matching each.
     */
    List<String> literalNames() {
        if (hosts.startsWith("|") || hosts.indexOf('*') >= 0 || hosts.indexOf('?') >= 0 || hosts.indexOf('!') >= 0) {
            return List.of();
        }
        return Arrays.stream(hosts.split(",")).map(name -> name.toLowerCase(Locale.ROOT)).toList();
    }

    /** The key type, e.g. {@code ssh-ed25519}. */
    String keyType() {
        return keyType;
    }

    /** The 1-based line number in its file. */
    int line() {
        return line;
    }

    boolean revoked() {
        return marker.equals(REVOKED);
    }

    boolean sameKey(byte[] other) {
        return MessageDigest.isEqual(key, other);
    }

    /**
     * Whether the host field matches the name ({@code address} or {@code [address]:port}). A negated pattern that
     * matches wins over any positive one, as in OpenSSH.
     */
    boolean matches(String name) {
        if (hosts.startsWith("|1|")) {
            return hashedMatches(name);
        }
        boolean matched = false;
        for (String pattern : hosts.split(",", -1)) {
            boolean negated = pattern.startsWith("!");
            String body = negated ? pattern.substring(1) : pattern;
            if (wildcardMatches(body.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT), 0, 0)) {
                if (negated) {
                    return false;
                }
                matched = true;
            }
        }
        return matched;
    }

    private boolean hashedMatches(String name) {
        // "|1|salt|hash" splits into "", "1", salt, hash; trailing '|'s are ignored.
        String[] parts = hosts.replaceFirst("\\|+$", "").split("\\|", -1);
        if (parts.length != 4) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return MessageDigest.isEqual(expected, mac.doFinal(name.getBytes(StandardCharsets.UTF_8)));
        } catch (IllegalArgumentException | NoSuchAlgorithmException | InvalidKeyException e) {
            return false;
        }
    }

    private static boolean wildcardMatches(String pattern, String text, int p, int t) {
        while (p < pattern.length()) {
            char c = pattern.charAt(p);
            if (c == '*') {
                for (int skip = t; skip <= text.length(); skip++) {
                    if (wildcardMatches(pattern, text, p + 1, skip)) {
                        return true;
                    }
                }
                return false;
            }
            if (t >= text.length() || (c != '?' && c != text.charAt(t))) {
                return false;
            }
            p++;
            t++;
        }
        return t == text.length();
    }
}
