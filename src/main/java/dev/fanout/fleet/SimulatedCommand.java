package dev.fanout.fleet;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.common.io.IoInputStream;
import org.apache.sshd.common.io.IoOutputStream;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.AsyncCommand;

/**
 * One exec request on a simulated host. The command is interpreted at once by {@link FleetShell}; its result is
 * written after the simulated latency (plus any {@code sleep}) by the fleet's timer, through MINA's asynchronous
 * output streams, so no thread waits for any host. Faults act here: a hang never answers, a drop closes the
 * connection, huge output streams its bytes chunk by chunk as the client's window allows.
 */
final class SimulatedCommand implements AsyncCommand {

    private static final int CHUNK = 32 * 1024;
    private static final byte[] INVALID_UTF8 = {(byte) 0xff, (byte) 0xfe, (byte) 0xc3};

    private final FleetRuntime runtime;
    private final SimulatedHost host;
    private final String command;
    private IoOutputStream out;
    private IoOutputStream err;
    private ExitCallback exit;
    private volatile boolean destroyed;

    SimulatedCommand(FleetRuntime runtime, SimulatedHost host, String command) {
        this.runtime = runtime;
        this.host = host;
        this.command = command;
    }

    @Override
    public void setIoOutputStream(IoOutputStream stream) {
        this.out = stream;
    }

    @Override
    public void setIoErrorStream(IoOutputStream stream) {
        this.err = stream;
    }

    @Override
    public void setIoInputStream(IoInputStream stream) {
        // Simulated commands read no input.
    }

    @Override
    public void setInputStream(InputStream in) {
        // Asynchronous streams are used instead.
    }

    @Override
    public void setOutputStream(OutputStream stream) {
        // Asynchronous streams are used instead.
    }

    @Override
    public void setErrorStream(OutputStream stream) {
        // Asynchronous streams are used instead.
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        if (host.has(FaultType.HANG)) {
            return;
        }
        FleetShell.Outcome outcome = new FleetShell(host).run(command);
        for (FleetShell.Job job : outcome.jobs()) {
            runtime.schedule(job.delayNanos(), () -> job.effects().forEach(Runnable::run));
        }
        long delay = runtime.config().commandLatency().sampleNanos() + outcome.delayNanos();
        if (host.has(FaultType.DROP_MID_COMMAND)) {
            runtime.schedule(delay / 2 + TimeUnit.MILLISECONDS.toNanos(20), () -> channel.getSession().close(true));
            return;
        }
        runtime.schedule(delay, () -> finish(outcome));
    }

    private void finish(FleetShell.Outcome outcome) {
        if (destroyed) {
            return;
        }
        Runnable exitNow = () -> exit.onExit(outcome.exitCode());
        Runnable writeErr = () -> write(err, outcome.stderr(), exitNow);
        if (host.has(FaultType.HUGE_OUTPUT)) {
            stream(host.hugeOutputBytes(), writeErr);
        } else if (host.has(FaultType.INVALID_UTF8)) {
            write(out, INVALID_UTF8, () -> write(out, outcome.stdout(), writeErr));
        } else {
            write(out, outcome.stdout(), writeErr);
        }
    }

    private void write(IoOutputStream stream, byte[] bytes, Runnable then) {
        if (destroyed) {
            return;
        }
        if (bytes.length == 0) {
            then.run();
            return;
        }
        try {
            stream.writeBuffer(new ByteArrayBuffer(bytes)).addListener(written -> {
                if (written.isWritten()) {
                    then.run();
                }
            });
        } catch (java.io.IOException e) {
            destroyed = true;
        }
    }

    /** Writes {@code remaining} bytes of {@code y\n} lines, one chunk at a time, each after the last is sent. */
    private void stream(long remaining, Runnable then) {
        if (remaining <= 0) {
            then.run();
            return;
        }
        int size = (int) Math.min(CHUNK, remaining);
        byte[] chunk = new byte[size];
        for (int i = 0; i < size; i++) {
            chunk[i] = (byte) (i % 2 == 0 ? 'y' : '\n');
        }
        // Each next chunk goes through the timer, so a write that completes at once cannot deepen the stack.
        write(out, chunk, () -> runtime.schedule(0, () -> stream(remaining - size, then)));
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
    }
}
