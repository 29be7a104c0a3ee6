package dev.fanout.internal.driver.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Credentials;
import dev.fanout.ExecResult;
import dev.fanout.HostKeyPolicy;
import dev.fanout.Secret;
import dev.fanout.Timeouts;
import dev.fanout.fleet.FleetConfig;
import dev.fanout.fleet.SimulatedFleet;
import dev.fanout.internal.hostkey.HostKeyVerifiers;
import dev.fanout.spi.Cancellation;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.ExecRequest;
import dev.fanout.spi.SshSession;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mina driver's sessions forget the key exchange's opening messages once the exchange has read them, and still
 * exchange keys again on demand: were MINA to read them twice in one exchange, the connect or the re-key would fail.
 */
class KexInitOnceSessionTest {

    private static final Secret PASSWORD = Secret.of("kex-init-password");

    @TempDir
    Path dir;

    @Test
    void aSessionHoldsNoKexInitAfterTheExchangeAndExchangesKeysAgain() throws Exception {
        Path knownHosts = dir.resolve("known_hosts");
        try (SimulatedFleet fleet = SimulatedFleet.start(FleetConfig.of(1, "root", PASSWORD));
                MinaDriver driver = new MinaDriver()) {
            fleet.writeKnownHosts(knownHosts);
            ConnectRequest request = new ConnectRequest(fleet.hosts().get(0), Credentials.password(PASSWORD),
                    HostKeyVerifiers.forPolicy(HostKeyPolicy.strict(knownHosts)), Timeouts.DEFAULTS,
                    new Cancellation());
            try (SshSession session = driver.connect(request)) {
                ClientSession mina = clientSession(session);
                KexInitOnceSession lean = assertInstanceOf(KexInitOnceSession.class, mina);
                assertTrue(held(lean, "clientKexInit") == null, "the client's KEXINIT is not kept");
                assertTrue(held(lean, "serverKexInit") == null, "the server's KEXINIT is not kept");

                for (int rekey = 1; rekey <= 2; rekey++) {
                    assertTrue(mina.reExchangeKeys().verify(Duration.ofSeconds(30)).isDone(), "re-key " + rekey);
                    ExecResult after = session.exec(new ExecRequest("echo rekeyed", Duration.ofSeconds(30), 1024));
                    assertTrue(after.isSuccess(), after.toString());
                    assertEquals("rekeyed\n", after.stdout().text());
                    assertTrue(held(lean, "clientKexInit") == null, "not kept after re-key " + rekey);
                    assertTrue(held(lean, "serverKexInit") == null, "not kept after re-key " + rekey);
                }
            }
        }
    }

    private static ClientSession clientSession(SshSession session) throws ReflectiveOperationException {
        Field field = MinaSession.class.getDeclaredField("session");
        field.setAccessible(true);
        return (ClientSession) field.get(assertInstanceOf(MinaSession.class, session));
    }

    private static Object held(KexInitOnceSession session, String name) throws ReflectiveOperationException {
        Field readOnce = KexInitOnceSession.class.getDeclaredField(name);
        readOnce.setAccessible(true);
        Object payload = readOnce.get(session);
        Field data = payload.getClass().getDeclaredField("data");
        data.setAccessible(true);
        return data.get(payload);
    }
}
