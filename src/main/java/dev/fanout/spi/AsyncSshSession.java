package dev.fanout.spi;

import dev.fanout.ExecResult;
import java.util.concurrent.CompletableFuture;

/** A session of an {@link AsyncSshDriver}: commands without blocking, besides the blocking contract. */
public interface AsyncSshSession extends SshSession {

    /** Runs one command as {@link SshSession#exec} does, completing when the channel closes. */
    CompletableFuture<ExecResult> execAsync(ExecRequest request);
}
