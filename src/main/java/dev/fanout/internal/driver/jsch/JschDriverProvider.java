package dev.fanout.internal.driver.jsch;

import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshDriverProvider;

/** Provides the {@code jsch} driver (com.github.mwiede:jsch). */
public final class JschDriverProvider implements SshDriverProvider {

    @Override
    public String name() {
        return JschDriver.NAME;
    }

    @Override
    public SshDriver create() {
        return new JschDriver();
    }
}
