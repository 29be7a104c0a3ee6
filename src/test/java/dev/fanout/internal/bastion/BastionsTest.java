package dev.fanout.internal.bastion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.fanout.BastionSettings;
import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Secret;
import dev.fanout.Timeouts;
import dev.fanout.internal.driver.SshDrivers;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.internal.route.DirectRoutes;
import dev.fanout.internal.route.ExplicitJumps;
import dev.fanout.spi.SshDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which bastions, in which order, a host is reached through, as {@code ssh -J} chains them. */
class BastionsTest {

    private static final Host TARGET = Host.of("u", "target");
    private static final Host B0 = Host.of("u", "b0");
    private static final Host B1 = Host.of("u", "b1");
    private static final Host B2 = Host.of("u", "b2");

    private static Bastions bastions(SshDriver driver, Map<Host, List<Host>> perHost, Optional<List<Host>> every) {
        DirectRoutes routes = new DirectRoutes(host -> Credentials.password(Secret.of("pw")),
                HostKeyVerifiers.forPolicy(HostKeyPolicy.acceptAll()), Timeouts.DEFAULTS,
                new ExplicitJumps(perHost, every));
        return new Bastions(driver, routes, BastionSettings.DEFAULTS);
    }

    /**
     * The first bastion's own bastions come before it (not the bastions of every host: {@code -J} is not its own);
     * later ones are reached through the one before.
     */
    @Test
    void chainsTheFirstBastionsOwnBastionsBeforeIt() {
        try (SshDriver driver = SshDrivers.create("mina")) {
            Bastions bastions = bastions(driver, Map.of(B1, List.of(B0), B2, List.of(TARGET)),
                    Optional.of(List.of(B1, B2)));
            assertEquals(List.of(B0, B1, B2), bastions.chain(TARGET));
            assertEquals(List.of(B0), bastions.chain(B1)); // its own win over everyone's
        }
    }

    @Test
    void refusesBastionsThatLoopBeforeAnyHostIsContacted() {
        try (SshDriver driver = SshDrivers.create("mina")) {
            Bastions bastions = bastions(driver, Map.of(TARGET, List.of(B0), B0, List.of(B1), B1, List.of(B0)),
                    Optional.empty());
            IllegalArgumentException loop = assertThrows(IllegalArgumentException.class,
                    () -> bastions.prepare(List.of(TARGET)));
            assertEquals("u@b0:22: its bastions loop: u@target:22 -> u@b0:22 -> u@b1:22 -> u@b0:22",
                    loop.getMessage());
        }
    }

    /** Nothing outside the test's reach: the known_hosts path is never read under accept-all. */
    @Test
    void reachesAHostWithNoBastionsDirectly() {
        try (SshDriver driver = SshDrivers.create("mina")) {
            Bastions bastions = bastions(driver, Map.of(), Optional.empty());
            assertEquals(List.of(), bastions.chain(Host.of("u", Path.of("direct").toString())));
        }
    }
}
