package dev.fanout.testing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * The JVM's name resolver in tests (a {@link InetAddressResolverProvider}, registered on the test class path): the
 * system resolver, except that a lookup of a name under {@link #DOMAIN} hangs until the test releases it, as a
 * lookup does when a DNS server never answers. Then it fails as unknown.
 */
public final class StallingResolver extends InetAddressResolverProvider {

    /** Names ending in this are never answered until {@link #release}d. */
    public static final String DOMAIN = ".stall.fanout.test";

    private static final Map<String, CountDownLatch> STARTED = new ConcurrentHashMap<>();
    private static final Map<String, CountDownLatch> RELEASED = new ConcurrentHashMap<>();

    private static CountDownLatch latch(Map<String, CountDownLatch> latches, String name) {
        return latches.computeIfAbsent(name, key -> new CountDownLatch(1));
    }

    /** Whether a lookup of {@code name} has reached this resolver (and hangs there until released). */
    public static boolean lookedUp(String name) {
        return latch(STARTED, name).getCount() == 0;
    }

    /** Ends the hanging lookups of {@code name}: they fail as unknown. */
    public static void release(String name) {
        latch(RELEASED, name).countDown();
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver system = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (!host.endsWith(DOMAIN)) {
                    return system.lookupByName(host, policy);
                }
                latch(STARTED, host).countDown();
                try {
                    latch(RELEASED, host).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new UnknownHostException(host + ": released by the test");
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return system.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "fanout-tests-stalling";
    }
}
