package dev.fanout.fleet;

import dev.fanout.Task;

/**
 * The reference benchmark's workload (the system fanout re-creates, described in docs/performance.md): read kernel
 * information, write a file and change its permissions, start a job with nohup. The simulated fleet runs it in
 * simulated time; the demo and the
 * benchmark suite run it on every host.
 */
public final class ReferenceWorkload {

    /** {@code uname -sr}; a file write + chmod; {@code nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &}. */
    public static final Task TASK = Task.of("uname -sr",
            "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh",
            "nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &");

    private ReferenceWorkload() {
    }
}
