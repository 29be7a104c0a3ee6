package dev.fanout.internal.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostKeyAlgorithmsTest {

    private static final List<String> DRIVER_ORDER = List.of("ssh-ed25519-cert-v01@openssh.com", "ssh-ed25519",
            "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa");

    @Test
    void offersTheAlgorithmsOfKnownKeyTypesFirst() {
        assertEquals(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519", "ecdsa-sha2-nistp256"),
                HostKeyAlgorithms.offer(DRIVER_ORDER, List.of("ssh-rsa")));
        assertEquals(List.of("ecdsa-sha2-nistp256", "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"),
                HostKeyAlgorithms.offer(DRIVER_ORDER, List.of("ecdsa-sha2-nistp256")));
    }

    @Test
    void neverOffersCertificatesOrSha1Rsa() {
        assertEquals(List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256"),
                HostKeyAlgorithms.offer(DRIVER_ORDER, List.of()));
    }
}
