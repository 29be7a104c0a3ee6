package dev.fanout.docs;

import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostResult;
import dev.fanout.RunHandle;
import dev.fanout.RunListener;
import dev.fanout.RunOptions;
import dev.fanout.StdStream;
import dev.fanout.Step;
import dev.fanout.Task;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Each host's output as it arrives, for a web page's live log view. */
public final class LiveLogs implements RunListener {

    private final Map<Host, ByteArrayOutputStream> logs = new ConcurrentHashMap<>();

    /** Starts the job and returns at once; {@link #log(Host)} shows what a host has printed so far. */
    public RunHandle start(Fanout fanout, List<Host> hosts, String command) {
        return fanout.submit(hosts, Task.of(command), RunOptions.defaults(), this);
    }

    /** What the host has printed so far, stdout and stderr as they came. */
    public String log(Host host) {
        ByteArrayOutputStream log = logs.get(host);
        return log == null ? "" : log.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void hostStarted(Host host) {
        logs.put(host, new ByteArrayOutputStream());
    }

    @Override
    public void outputReceived(Host host, Step step, StdStream stream, byte[] bytes) {
        // A host's calls come one at a time and in order, on fanout's threads, never an SSH library's. While this
        // method is slow, fanout reads no more than 256 KiB ahead of it for this host; other hosts go on.
        logs.get(host).writeBytes(bytes);
    }

    @Override
    public void hostFinished(HostResult result) {
        System.out.println(result.host() + ": " + result.status() + " " + result.detail());
    }
}
