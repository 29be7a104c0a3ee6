package dev.fanout.internal.driver;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Host name lookups that a connect can bound by its connect timeout. The JDK's resolver has no time limit of its
 * own (a lookup blocks for as long as the system resolver retries), so each name is looked up on a virtual thread of
 * its own, which the caller waits on at most as long as it likes; a lookup that outlives the wait is abandoned and
 * its thread ends when the resolver gives up. IP literals need no lookup and are parsed on the spot. Thread-safe.
 */
public final class HostLookup {

    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private HostLookup() {
    }

    /**
     * The address of {@code name}, without blocking: completes with it, or exceptionally with an
     * {@link UnknownHostException} when the name does not resolve. Never times out by itself.
     */
    public static CompletableFuture<InetAddress> lookup(String name) {
        if (isLiteral(name)) {
            try {
                return CompletableFuture.completedFuture(InetAddress.getByName(name));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        CompletableFuture<InetAddress> address = new CompletableFuture<>();
        Thread.ofVirtual().name("fanout-lookup").start(() -> {
            try {
                address.complete(InetAddress.getByName(name));
            } catch (Throwable e) {
                address.completeExceptionally(e);
            }
        });
        return address;
    }

    /**
     * The address of {@code name}, waiting at most {@code timeout}.
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws SocketTimeoutException when the lookup takes longer than {@code timeout}
     * @throws InterruptedIOException when the calling thread is interrupted (its interrupt flag is set again)
     */
    public static InetAddress lookup(String name, Duration timeout) throws IOException {
        CompletableFuture<InetAddress> address = lookup(name);
        try {
            return address.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("no address for " + name + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while looking up " + name);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new UnknownHostException(name + ": " + cause);
        }
    }

    /** IPv4 dotted quads and IPv6 literals (a host name never holds a colon). */
    private static boolean isLiteral(String name) {
        return name.indexOf(':') >= 0 || IPV4.matcher(name).matches();
    }
}
