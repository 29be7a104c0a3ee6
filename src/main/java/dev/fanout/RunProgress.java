package dev.fanout;

/**
 * Where a run stands at one moment ({@link RunHandle#progress()}). The counts are read together, so they always add
 * up to {@code hosts}.
 *
 * @param hosts the run's distinct hosts
 * @param waiting hosts not started yet: behind the run's batches or its limit of hosts in flight, or cancelled and
 *     about to be skipped
 * @param running hosts started and without a result yet: waiting for a handshake permit or a pooled session,
 *     connecting, or running their steps
 * @param done hosts with their one result, whatever it is (skipped hosts included)
 */
public record RunProgress(int hosts, int waiting, int running, int done) {

    /** Rejects negative counts and counts that do not add up. */
    public RunProgress {
        if (waiting < 0 || running < 0 || done < 0 || waiting + running + done != hosts) {
            throw new IllegalArgumentException("progress must add up: " + waiting + " waiting + " + running
                    + " running + " + done + " done != " + hosts + " hosts");
        }
    }

    /** True when every host has its result. */
    public boolean finished() {
        return done == hosts;
    }
}
