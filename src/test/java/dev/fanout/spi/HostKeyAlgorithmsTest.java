package dev.fanout.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostKeyAlgorithmsTest {

    @Test
    void offersTheAlgorithmsOfKnownKeyTypesFirst() {
        List<String> driverOrder = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256");
        assertEquals(List.of("rsa-sha2-512", "rsa-sha2-256", "ssh-ed25519", "ecdsa-sha2-nistp256"),
                HostKeyAlgorithms.preferringKnown(driverOrder, List.of("ssh-rsa")));
        assertEquals(List.of("ecdsa-sha2-nistp256", "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256"),
                HostKeyAlgorithms.preferringKnown(driverOrder, List.of("ecdsa-sha2-nistp256")));
        assertEquals(driverOrder, HostKeyAlgorithms.preferringKnown(driverOrder, List.of()));
    }
}
