package dev.fanout.internal.driver.mina;

import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshDriverProvider;
import java.util.concurrent.locks.ReentrantLock;

/** Provides the {@code mina} driver (Apache MINA SSHD). */
public final class MinaDriverProvider implements SshDriverProvider {

    @Override
    public String name() {
        return MinaDriver.NAME;
    }

    /**
     * Held while MINA's classes are initialised: by {@link #prepare()} on one thread and {@link #create()} on
     * another, two threads could each hold a class initialisation the other waits for.
     */
    private static final ReentrantLock LIBRARY_SETUP = new ReentrantLock();

    @Override
    public SshDriver create() {
        LIBRARY_SETUP.lock();
        try {
            return new MinaDriver();
        } finally {
            LIBRARY_SETUP.unlock();
        }
    }

    /** Initialises MINA's builders and registers BouncyCastle: about 0.1 s of CPU at a command line's start. */
    @Override
    public void prepare() {
        LIBRARY_SETUP.lock();
        try {
            MinaDriver.initialiseLibrary();
        } finally {
            LIBRARY_SETUP.unlock();
        }
    }
}
