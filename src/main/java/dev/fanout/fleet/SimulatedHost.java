package dev.fanout.fleet;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One simulated host: its address, names, host keys, faults and (created on first use) its file system.
 *
 * @param index 0-based position in the fleet
 * @param address its loopback address, 127.101.x.y
 * @param name its host name, {@code sim-00042}
 * @param kernel what {@code uname -r} prints
 * @param user the login user
 * @param publishedKey the host key written to the fleet's known_hosts
 * @param servedKey the host key it presents (differs from {@code publishedKey} under HOST_KEY_CHANGED)
 * @param faults the faults it shows
 * @param hugeOutputBytes the output size under HUGE_OUTPUT
 * @param keyboardInteractiveOnly whether it offers keyboard-interactive authentication only
 * @param fileSystem its files, made on first use
 */
record SimulatedHost(int index, InetAddress address, String name, String kernel, String user, KeyPair publishedKey,
        KeyPair servedKey, Set<FaultType> faults, long hugeOutputBytes, boolean keyboardInteractiveOnly,
        FileSystemHolder fileSystem) {

    /** The address of host {@code index}: 127.101.(index / 254).(index % 254 + 1). */
    static InetAddress addressOf(int index) {
        try {
            return InetAddress.getByAddress(new byte[] {127, 101, (byte) (index / 254), (byte) (index % 254 + 1)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4-byte address is always valid", e);
        }
    }

    boolean has(FaultType fault) {
        return faults.contains(fault);
    }

    String home() {
        return user.equals("root") ? "/root" : "/home/" + user;
    }

    /** The host's files, made on first use so that idle hosts cost almost nothing. */
    FleetFileSystem files() {
        return fileSystem.get(home(), user.equals("root"));
    }

    /** Holds a host's file system, created lazily and once. */
    static final class FileSystemHolder {
        private final ReentrantLock lock = new ReentrantLock();
        private final SharedContents shared;
        private final long freeBytes;
        private volatile FleetFileSystem files;

        /**
         * @param shared the fleet's shared contents
         * @param freeBytes the disk's free space
         */
        FileSystemHolder(SharedContents shared, long freeBytes) {
            this.shared = shared;
            this.freeBytes = freeBytes;
        }

        FleetFileSystem get(String home, boolean root) {
            FleetFileSystem current = files;
            if (current != null) {
                return current;
            }
            lock.lock();
            try {
                if (files == null) {
                    files = new FleetFileSystem(home, root, freeBytes, shared);
                }
                return files;
            } finally {
                lock.unlock();
            }
        }
    }
}
