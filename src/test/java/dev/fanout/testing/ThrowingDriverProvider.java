package dev.fanout.testing;

import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshDriverProvider;

/**
 * {@code --driver throwing} for command-line tests that register it (a services file on their process's class
 * path; not on the tests' own, where every driver list would show it): every connect throws the
 * {@link NoClassDefFoundError} that an
 * encrypted PKCS#8 key once raised in the mina driver (BouncyCastle's PKIX classes missing).
 */
public final class ThrowingDriverProvider implements SshDriverProvider {

    /** The Error's message: the class that was missing. */
    public static final String MISSING_CLASS = "org/bouncycastle/pkcs/PKCSException";

    @Override
    public String name() {
        return "throwing";
    }

    @Override
    public SshDriver create() {
        return new ThrowingDriver(host -> true, ThrowingDriver.Where.CONNECT,
                () -> new NoClassDefFoundError(MISSING_CLASS));
    }
}
