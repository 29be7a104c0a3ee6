package dev.fanout.internal.schedule;

import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Timeouts;
import dev.fanout.internal.pool.SessionSource;
import dev.fanout.spi.HostKeyVerifier;
import dev.fanout.spi.SshDriver;
import java.util.function.Function;

/**
 * What the scheduler needs of a {@code Fanout} to reach hosts.
 *
 * @param driver the SSH driver
 * @param credentials how to log in to each host
 * @param hostKeyVerifier the host key check
 * @param timeouts connect, auth and command limits (capped by deadlines per host)
 * @param outputLimit bytes kept per output stream
 * @param sessions where sessions come from (fresh or pooled)
 */
public record FanoutSetup(SshDriver driver, Function<Host, Credentials> credentials, HostKeyVerifier hostKeyVerifier,
        Timeouts timeouts, int outputLimit, SessionSource sessions) {
}
