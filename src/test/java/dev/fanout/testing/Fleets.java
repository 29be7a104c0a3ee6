package dev.fanout.testing;

import dev.fanout.fleet.SimulatedFleet;

/** Waits on a simulated fleet in tests. */
public final class Fleets {

    private Fleets() {
    }

    /**
     * Waits up to 5 s for the fleet's sessions to close (a client's close reaches the server a moment later);
     * returns how many are still open.
     */
    public static int awaitNoSessions(SimulatedFleet fleet) throws InterruptedException {
        for (int i = 0; i < 100 && fleet.activeSessions() > 0; i++) {
            Thread.sleep(50);
        }
        return fleet.activeSessions();
    }
}
