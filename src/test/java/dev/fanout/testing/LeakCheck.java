package dev.fanout.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What a test left behind: connections still open on a running contract server or on a fleet the test started, and
 * fanout threads ({@link FanoutThreads}) started since the check began and still alive. Closing is asynchronous in
 * places (a server sees a client's close a moment later; a reader thread ends after its socket), so each check waits
 * for its condition up to a limit, polling, and only then reports what it still finds.
 */
final class LeakCheck {

    private final Duration settle;
    private final Map<Long, String> threadsBefore;

    /** Notes the fanout threads alive now: they are not the test's. */
    LeakCheck(Duration settle) {
        this.settle = settle;
        this.threadsBefore = FanoutThreads.alive();
    }

    /**
     * Closes the clients the target made, checks that no connection is left, stops its fleets, then checks that no
     * thread is left. Connections left are dropped, so that the next test does not inherit them.
     *
     * @throws AssertionError naming each leak, with any failure to close as suppressed exceptions
     */
    void closeAndCheck(ContractTarget target) {
        List<Throwable> failures = new ArrayList<>(target.closeClients());
        List<String> leaks = new ArrayList<>(awaitNone(() -> openConnections(target)));
        if (!leaks.isEmpty()) {
            ContractServers.running().forEach(TestServer::killSessions);
        }
        failures.addAll(target.closeFleets());
        leaks.addAll(awaitNone(this::newThreads));
        if (leaks.isEmpty() && failures.isEmpty()) {
            return;
        }
        AssertionError error = new AssertionError(target + " left behind: "
                + (leaks.isEmpty() ? "nothing, but closing failed" : String.join("; ", leaks)));
        failures.forEach(error::addSuppressed);
        throw error;
    }

    private static List<String> openConnections(ContractTarget target) {
        List<String> open = new ArrayList<>(target.openFleetConnections());
        for (TestServer server : ContractServers.running()) {
            List<String> sessions = server.openSessions();
            if (!sessions.isEmpty()) {
                open.add(server.name() + " still holds " + sessions);
            }
        }
        return open;
    }

    private List<String> newThreads() {
        List<String> threads = FanoutThreads.alive().entrySet().stream()
                .filter(thread -> !threadsBefore.containsKey(thread.getKey())).map(Map.Entry::getValue).toList();
        return threads.isEmpty() ? List.of() : List.of("threads still alive " + threads);
    }

    /** Polls {@code leaks} until it finds none or {@link #settle} has passed; returns what it found last. */
    private List<String> awaitNone(Supplier<List<String>> leaks) {
        long deadline = System.nanoTime() + settle.toNanos();
        long pauseMillis = 5;
        List<String> found = leaks.get();
        while (!found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return found;
            }
            pauseMillis = Math.min(pauseMillis * 2, 200);
            found = leaks.get();
        }
        return found;
    }
}
