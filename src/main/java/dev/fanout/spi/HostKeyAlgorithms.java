package dev.fanout.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders the host key algorithms a driver offers: those that use a key type already known for the host first,
 * then the rest, each group in the driver's own order. A server with several host keys (OpenSSH has Ed25519, ECDSA
 * and RSA) then proves the key known_hosts holds, as OpenSSH's own client arranges.
 */
public final class HostKeyAlgorithms {

    private static final String RSA_KEY = "ssh-rsa";
    private static final List<String> RSA_ALGORITHMS = List.of("rsa-sha2-512", "rsa-sha2-256", RSA_KEY);

    private HostKeyAlgorithms() {
    }

    /**
     * @param algorithms the driver's host key algorithms, in its order of preference
     * @param knownKeyTypes the key types known for the host ({@link HostKeyVerifier#knownKeyTypes})
     * @return the same algorithms, those for a known key type first
     */
    public static List<String> preferringKnown(List<String> algorithms, List<String> knownKeyTypes) {
        if (knownKeyTypes.isEmpty()) {
            return algorithms;
        }
        List<String> known = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String algorithm : algorithms) {
            (knownKeyTypes.contains(keyType(algorithm)) ? known : others).add(algorithm);
        }
        known.addAll(others);
        return known;
    }

    /** The key type an algorithm signs with: the RSA signature algorithms all use {@code ssh-rsa} keys. */
    static String keyType(String algorithm) {
        return RSA_ALGORITHMS.contains(algorithm) ? RSA_KEY : algorithm;
    }
}
