package dev.fanout.internal.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * The host key algorithms a driver offers a server. Certificate algorithms are left out (fanout trusts host keys
 * through known_hosts, not certificate authorities, so a certificate would only be found unknown), and so is
 * {@code ssh-rsa} with its SHA-1 signatures (off by default in OpenSSH since 8.8; RSA keys still work through
 * {@code rsa-sha2-512} and {@code rsa-sha2-256}). Those that use a key type already known for the host come first,
 * then the rest, each group in the driver's own order: a server with several host keys (OpenSSH has Ed25519, ECDSA
 * and RSA) then proves the key known_hosts holds, as OpenSSH's own client arranges.
 */
public final class HostKeyAlgorithms {

    private static final String RSA_KEY = "ssh-rsa";
    private static final List<String> RSA_ALGORITHMS = List.of("rsa-sha2-512", "rsa-sha2-256", RSA_KEY);
    private static final String CERTIFICATE_SUFFIX = "-cert-v01@openssh.com";

    private HostKeyAlgorithms() {
    }

    /**
     * Orders and filters a driver's host key algorithms for one host.
     *
     * @param algorithms the driver's host key algorithms, in its order of preference
     * @param knownKeyTypes the key types known for the host ({@link HostKeyVerifier#knownKeyTypes})
     * @return the algorithms to offer: no certificates, no {@code ssh-rsa}, those for a known key type first
     */
    public static List<String> offer(List<String> algorithms, List<String> knownKeyTypes) {
        List<String> known = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (String algorithm : algorithms) {
            if (algorithm.endsWith(CERTIFICATE_SUFFIX) || algorithm.equals(RSA_KEY)) {
                continue;
            }
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
