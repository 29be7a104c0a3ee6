package dev.fanout.internal.schedule;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Timeouts;
import dev.fanout.internal.pool.SessionSource;
import dev.fanout.internal.route.DirectRoutes;
import dev.fanout.internal.route.Routes;
import dev.fanout.spi.HostKeyVerifier;
import dev.fanout.spi.SshDriver;
import java.util.function.Function;

/**
 * What the scheduler needs of a {@code Fanout} to reach hosts.
 *
 * @param driver the SSH driver
 * @param routes the connect request of each host (where, as whom, credentials, host-key check, connect limits)
 * @param timeouts the command limit (capped by deadlines per host)
 * @param outputLimit bytes kept per output stream
 * @param sessions where sessions come from (fresh or pooled)
 */
public record FanoutSetup(SshDriver driver, Routes routes, Timeouts timeouts, int outputLimit,
        SessionSource sessions) {

    /** A set-up where every host is reached as itself ({@link DirectRoutes}). */
    public FanoutSetup(SshDriver driver, Function<Host, Credentials> credentials, HostKeyVerifier hostKeyVerifier,
            Timeouts timeouts, int outputLimit, SessionSource sessions) {
        this(driver, new DirectRoutes(credentials, hostKeyVerifier, timeouts), timeouts, outputLimit, sessions);
    }
}
