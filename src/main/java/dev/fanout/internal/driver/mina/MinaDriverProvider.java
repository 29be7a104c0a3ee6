package dev.fanout.internal.driver.mina;

import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshDriverProvider;

/** Provides the {@code mina} driver (Apache MINA SSHD). */
public final class MinaDriverProvider implements SshDriverProvider {

    @Override
    public String name() {
        return MinaDriver.NAME;
    }

    @Override
    public SshDriver create() {
        return new MinaDriver();
    }
}
