package dev.fanout;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run is spread out and bounded. Immutable; build with {@link #builder()}. The reference system's controls map
 * as:
 * limit = {@code batchSize}, execute_all = no batch size, is_concurrent_between_batches = {@code batchesConcurrent},
 * interval = {@code batchInterval}.
 *
 * @param mode threads per host: SERIAL, PLATFORM, VIRTUAL (default) or ASYNC
 * @param threads the PLATFORM pool size (default 50)
 * @param maxInFlight hosts worked on at once, 0 for no limit; a run lowers it to the connections (open files) the
 *     process has to spare at its start, saying so in the log (INFO)
 * @param maxHandshakes connections being set up at once by this run, separate from {@code maxInFlight}, so that a
 *     fan-out neither trips OpenSSH's MaxStartups on a shared server nor starts thousands of handshakes that all
 *     slow down together and time out; default 256, 0 for no limit. The client's limit for all its runs together
 *     ({@link Fanout.Builder#maxHandshakes(int)}) applies as well
 * @param batchSize hosts per batch, 0 for one batch of all hosts (execute all)
 * @param batchInterval the wait between the starts of batches (with batches one after another: between one
 *     batch's end and the next one's start)
 * @param batchesConcurrent whether a batch may start before the previous one has finished
 * @param runDeadline a limit for the whole run; hosts still running when it passes end TIMED_OUT, hosts not
 *     started SKIPPED
 * @param hostDeadline a limit for each host, from its start to its last command
 * @param failFastAfter stop the run after this many hosts failed (unstarted hosts are SKIPPED, running ones
 *     CANCELLED); 0 never stops
 * @param retry which failures are retried, how often
 * @param outputBudget bytes of command output the whole run may keep, all hosts and streams together (each stream
 *     keeps at most the client's output limit as well); past it, output is counted, not kept, and marked
 *     {@linkplain Output#truncated() truncated}. Default {@link #DEFAULT_OUTPUT_BUDGET}
 */
public record RunOptions(RunMode mode, int threads, int maxInFlight, int maxHandshakes, int batchSize,
        Duration batchInterval, boolean batchesConcurrent, Optional<Duration> runDeadline,
        Optional<Duration> hostDeadline, int failFastAfter, RetryPolicy retry, long outputBudget) {

    /** Connections set up at once unless told otherwise. */
    public static final int DEFAULT_MAX_HANDSHAKES = 256;

    /**
     * Output a run keeps unless told otherwise: a quarter of the JVM's maximum heap ({@code -Xmx}; by default a
     * quarter of the machine's memory), so that a run's report fits beside everything else. 6,000 MiB of heap keep
     * 1,500 MiB of output, a full 1 MiB stdout for 1,500 hosts.
     */
    public static final long DEFAULT_OUTPUT_BUDGET = Runtime.getRuntime().maxMemory() / 4;

    /** Validates every field, naming the bad one. */
    public RunOptions {
        Objects.requireNonNull(mode, "mode");
        requireAtLeast(threads, 1, "threads");
        requireAtLeast(maxInFlight, 0, "maxInFlight");
        requireAtLeast(maxHandshakes, 0, "maxHandshakes");
        requireAtLeast(batchSize, 0, "batchSize");
        requireAtLeast(failFastAfter, 0, "failFastAfter");
        Objects.requireNonNull(batchInterval, "batchInterval");
        if (batchInterval.isNegative()) {
            throw new IllegalArgumentException("batchInterval must not be negative: " + batchInterval);
        }
        Objects.requireNonNull(runDeadline, "runDeadline").ifPresent(limit -> requirePositive(limit, "runDeadline"));
        Objects.requireNonNull(hostDeadline, "hostDeadline").ifPresent(limit -> requirePositive(limit, "hostDeadline"));
        Objects.requireNonNull(retry, "retry");
        if (outputBudget < 0) {
            throw new IllegalArgumentException("outputBudget must not be negative: " + outputBudget);
        }
    }

    /** The defaults: VIRTUAL, 256 handshakes in flight, no other limit, no batches, deadlines, fail-fast, retries. */
    public static RunOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private static void requireAtLeast(int value, int minimum, String name) {
        if (value < minimum) {
            throw new IllegalArgumentException(name + " must be at least " + minimum + ": " + value);
        }
    }

    private static void requirePositive(Duration value, String name) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Collects run options; {@link #build()} validates them. Not thread-safe. */
    public static final class Builder {
        private RunMode mode = RunMode.VIRTUAL;
        private int threads = 50;
        private int maxInFlight;
        private int maxHandshakes = DEFAULT_MAX_HANDSHAKES;
        private int batchSize;
        private Duration batchInterval = Duration.ZERO;
        private boolean batchesConcurrent;
        private Duration runDeadline;
        private Duration hostDeadline;
        private int failFastAfter;
        private RetryPolicy retry = RetryPolicy.none();
        private long outputBudget = DEFAULT_OUTPUT_BUDGET;

        private Builder() {
        }

        /** The run mode (default VIRTUAL). */
        public Builder mode(RunMode value) {
            this.mode = value;
            return this;
        }

        /** Threads of the PLATFORM pool (default 50). */
        public Builder threads(int value) {
            this.threads = value;
            return this;
        }

        /** Hosts worked on at once (0: no limit). */
        public Builder maxInFlight(int value) {
            this.maxInFlight = value;
            return this;
        }

        /** Connections being set up at once (default 256; 0: no limit). */
        public Builder maxHandshakes(int value) {
            this.maxHandshakes = value;
            return this;
        }

        /** Hosts per batch (0: all at once). */
        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        /** The wait between batches. */
        public Builder batchInterval(Duration value) {
            this.batchInterval = value;
            return this;
        }

        /** Whether batches may overlap. */
        public Builder batchesConcurrent(boolean value) {
            this.batchesConcurrent = value;
            return this;
        }

        /** A limit for the whole run. */
        public Builder runDeadline(Duration value) {
            this.runDeadline = value;
            return this;
        }

        /** A limit for each host. */
        public Builder hostDeadline(Duration value) {
            this.hostDeadline = value;
            return this;
        }

        /** Stop after this many failed hosts (0: never). */
        public Builder failFastAfter(int value) {
            this.failFastAfter = value;
            return this;
        }

        /** Retries of transient failures. */
        public Builder retry(RetryPolicy value) {
            this.retry = value;
            return this;
        }

        /** Bytes of output the whole run may keep (default a quarter of the maximum heap); past it, counted only. */
        public Builder outputBudget(long bytes) {
            this.outputBudget = bytes;
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalArgumentException naming a bad value
         */
        public RunOptions build() {
            return new RunOptions(mode, threads, maxInFlight, maxHandshakes, batchSize, batchInterval,
                    batchesConcurrent, Optional.ofNullable(runDeadline), Optional.ofNullable(hostDeadline),
                    failFastAfter, retry, outputBudget);
        }
    }
}
