package dev.fanout.testing;

import dev.fanout.fleet.SimulatedFleet;

/** Waits on a simulated fleet in tests. */
public final class Fleets {

    private Fleets() {
    }

    /**
     * Waits for the fleet's sessions to close (a client's close reaches the server a moment later), up to
     * {@link Await#PATIENCE}; returns how many are still open.
     */
    public static int awaitNoSessions(SimulatedFleet fleet) throws InterruptedException {
        Await.within(Await.PATIENCE, () -> fleet.activeSessions() == 0);
        return fleet.activeSessions();
    }
}
