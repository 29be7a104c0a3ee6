package dev.fanout.internal.driver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Stands between sudo and the output kept, on the stream sudo's prompt arrives on (the terminal's, or stderr): holds
 * back everything until the command has started, watching for sudo's prompt (the password is then wanted; a second
 * prompt means it was refused) and for the start marker the wrapped command prints first. Once the marker has passed,
 * everything after it goes through; everything before it (prompts, sudo's lecture, "Sorry, try again.", the newline
 * after the password) is dropped, so no trace of the exchange reaches the output.
 *
 * <p>The library's I/O thread writes; the thread feeding the command's input waits for the gate's next
 * {@link State}. Guarded by a {@link ReentrantLock}.
 */
final class SudoGate extends OutputStream {

    /** Where the exchange with sudo stands. */
    enum State {
        /** Nothing seen yet. */
        WAITING,
        /** Sudo asked for the password once. */
        PASSWORD_WANTED,
        /** The password was sent. */
        ANSWERED,
        /** Sudo asked again after the password was sent: it refused it. */
        REFUSED,
        /** The command started; output goes through. */
        STARTED,
        /** The stream ended before the command started. */
        ENDED
    }

    /** Bytes held back at most while waiting; older ones are dropped, keeping enough to find a marker. */
    private static final int HOLD_LIMIT = 64 * 1024;

    private final OutputStream downstream;
    private final byte[] prompt;
    private final byte[] start;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ByteArrayOutputStream held = new ByteArrayOutputStream();
    private int promptsSeen;
    private int promptsScanned;
    private State state = State.WAITING;

    /**
     * @param downstream where the command's own output goes
     * @param prompt the prompt sudo was told to print ({@code -p})
     * @param start the line the wrapped command prints before anything else
     */
    SudoGate(OutputStream downstream, String prompt, String start) {
        this.downstream = downstream;
        this.prompt = prompt.getBytes(StandardCharsets.UTF_8);
        this.start = start.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        boolean through;
        byte[] rest = null;
        lock.lock();
        try {
            through = state == State.STARTED;
            if (!through) {
                held.write(bytes, offset, length);
                rest = scan();
            }
        } finally {
            lock.unlock();
        }
        if (through) {
            downstream.write(bytes, offset, length);
        } else if (rest != null && rest.length > 0) {
            downstream.write(rest);
        }
    }

    /** Looks at what is held: returns what follows the start marker's line once it has come, else null. */
    private byte[] scan() {
        byte[] text = held.toByteArray();
        int marker = indexOf(text, start, 0);
        if (marker >= 0) {
            int end = marker + start.length;
            if (end < text.length && text[end] == '\r') {
                end++;
            }
            if (end >= text.length) {
                return null; // its newline has not come yet
            }
            if (text[end] == '\n') {
                end++;
            }
            move(State.STARTED);
            held.reset();
            byte[] rest = new byte[text.length - end];
            System.arraycopy(text, end, rest, 0, rest.length);
            return rest;
        }
        for (int at = indexOf(text, prompt, promptsScanned); at >= 0; at = indexOf(text, prompt, promptsScanned)) {
            promptsScanned = at + prompt.length;
            promptsSeen++;
            if (state != State.REFUSED) {
                move(promptsSeen == 1 ? State.PASSWORD_WANTED : State.REFUSED);
            }
        }
        if (text.length > HOLD_LIMIT) {
            int keep = Math.max(prompt.length, start.length);
            held.reset();
            held.write(text, text.length - keep, keep);
            promptsScanned = Math.max(0, promptsScanned - (text.length - keep));
        }
        return null;
    }

    private void move(State next) {
        state = next;
        changed.signalAll();
    }

    /** The password was sent: a prompt from now on means it was refused. */
    void answered() {
        lock.lock();
        try {
            if (state == State.PASSWORD_WANTED) {
                move(State.ANSWERED);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the state is not {@code current} any more, at most {@code nanos}; returns the state then. */
    State awaitChange(State current, long nanos) throws InterruptedException {
        lock.lock();
        try {
            long left = nanos;
            while (state == current && left > 0) {
                left = changed.awaitNanos(left);
            }
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** The state now. */
    State state() {
        lock.lock();
        try {
            return state;
        } finally {
            lock.unlock();
        }
    }

    /** The stream ended: a command not started by now never will be. */
    void end() {
        lock.lock();
        try {
            if (state != State.STARTED && state != State.REFUSED) {
                move(State.ENDED);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        end();
        downstream.close();
    }

    /** What sudo printed before it ended, prompts removed, for a message; empty once the command started. */
    String heldText() {
        lock.lock();
        try {
            return held.toString(StandardCharsets.UTF_8).replace(new String(prompt, StandardCharsets.UTF_8), "");
        } finally {
            lock.unlock();
        }
    }

    private static int indexOf(byte[] text, byte[] pattern, int from) {
        outer: for (int i = Math.max(0, from); i <= text.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (text[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
