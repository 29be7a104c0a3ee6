package dev.fanout.internal.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.HostStatus;
import dev.fanout.RunListener;
import dev.fanout.RunOptions;
import dev.fanout.Target;
import dev.fanout.Task;
import dev.fanout.Timeouts;
import dev.fanout.spi.ConnectRequest;
import dev.fanout.spi.SshDriver;
import dev.fanout.spi.SshSession;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dispatcher's promise that the run never waits for a host that died: a host whose work ended without a result,
 * or that could not be started at all, gets a FAILED one. The real starters no longer lose a host, so stand-ins
 * that do show the guarantee underneath them. A regression hangs, hence the time limits.
 */
class DispatcherTest {

    private static final List<Host> HOSTS = IntStream.rangeClosed(1, 4).mapToObj(i -> Host.of("root", "h" + i))
            .toList();

    /** A driver the stand-in starters never use: only its name is read, for the hosts' events. */
    private static final SshDriver UNUSED_DRIVER = new SshDriver() {
        @Override
        public String name() {
            return "unused";
        }

        @Override
        public SshSession connect(ConnectRequest request) {
            throw new UnsupportedOperationException("the stand-in starters connect to nothing");
        }

        @Override
        public void close() {
            // Nothing to release.
        }
    };

    private static RunState state() {
        FanoutSetup setup = new FanoutSetup(UNUSED_DRIVER, null, Timeouts.DEFAULTS, 0, null);
        return new RunState(HOSTS.stream().map(Target::of).toList(), Task.of("true"), RunOptions.defaults(), setup,
                new SafeListener(new RunListener() {
                }), new FairPermits(0).lane(0));
    }

    /** A starter whose hosts begin and then end, done called, without a result: as a thread killed by an Error. */
    private static HostStarter dying(RunState state, int unstartable) {
        return new HostStarter() {
            @Override
            public void start(int index, Runnable done) {
                if (index == unstartable) {
                    throw new OutOfMemoryError("unable to create native thread: possibly out of memory");
                }
                state.begin(index);
                done.run();
            }

            @Override
            public void close() {
                // No threads.
            }
        };
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void hostsThatDiedWithoutAResultGetOneAndTheRunEnds() throws Exception {
        RunState state = state();
        new Dispatcher(state, dying(state, -1)).dispatch();
        assertTrue(state.awaitFinished(0), "every host counted done");
        for (HostResult result : state.results()) {
            assertEquals(HostStatus.FAILED, result.status(), result.detail());
            assertEquals("internal error: the host ended without a result", result.detail());
        }
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aHostThatCouldNotBeStartedGetsAResultNamingWhy() throws Exception {
        RunState state = state();
        new Dispatcher(state, dying(state, 2)).dispatch();
        assertTrue(state.awaitFinished(0), "every host counted done");
        HostResult unstarted = state.results().get(2);
        assertEquals(HostStatus.FAILED, unstarted.status());
        assertEquals("internal error: java.lang.OutOfMemoryError: unable to create native thread: possibly out of "
                + "memory", unstarted.detail());
    }
}
