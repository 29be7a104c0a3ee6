package dev.fanout.fleet;

import dev.fanout.Task;

/**
 * The seed's benchmark workload (../shared/seed/remote-README.en.md): read kernel information, write a file and
 * change its permissions, start a job with nohup. The simulated fleet runs it in simulated time; the demo and the
 * benchmark suite run it on every host.
 */
public final class SeedWorkload {

    /** {@code uname -sr}; a file write + chmod; {@code nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &}. */
    public static final Task TASK = Task.of("uname -sr",
            "echo 'sleep 5 && ls -al' > /tmp/sleep.sh && chmod +x /tmp/sleep.sh",
            "nohup bash /tmp/sleep.sh &> /tmp/nm.nohup.out &");

    private SeedWorkload() {
    }
}
