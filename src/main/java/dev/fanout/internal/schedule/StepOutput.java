package dev.fanout.internal.schedule;

import dev.fanout.Host;
import dev.fanout.StdStream;
import dev.fanout.Step;
import dev.fanout.spi.LiveOutput;

/** The live output of one command step: each chunk queued as a listener call about its host ({@link HostEvents}). */
final class StepOutput implements LiveOutput {

    private final HostEvents events;
    private final SafeListener listener;
    private final Host host;
    private final Step step;

    StepOutput(HostEvents events, SafeListener listener, Host host, Step step) {
        this.events = events;
        this.listener = listener;
        this.host = host;
        this.step = step;
    }

    @Override
    public boolean enabled() {
        return true;
    }

    @Override
    public void offer(StdStream stream, byte[] bytes, Runnable consumed) {
        events.offer(() -> listener.outputReceived(host, step, stream, bytes), bytes.length, consumed);
    }

    @Override
    public void put(StdStream stream, byte[] bytes) {
        events.put(() -> listener.outputReceived(host, step, stream, bytes), bytes.length);
    }
}
