package dev.fanout.spi;

import dev.fanout.StdStream;

/** {@link LiveOutput#none()}: nobody listens. */
final class NoLiveOutput implements LiveOutput {

    static final NoLiveOutput INSTANCE = new NoLiveOutput();

    private NoLiveOutput() {
    }

    @Override
    public boolean enabled() {
        return false;
    }

    @Override
    public void offer(StdStream stream, byte[] bytes, Runnable consumed) {
        consumed.run();
    }

    @Override
    public void put(StdStream stream, byte[] bytes) {
        // Nobody listens.
    }
}
