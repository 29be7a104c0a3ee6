package dev.fanout.docs;

import dev.fanout.Command;
import dev.fanout.Fanout;
import dev.fanout.Host;
import dev.fanout.HostSession;
import dev.fanout.Pty;
import dev.fanout.RunOptions;
import dev.fanout.RunReport;
import dev.fanout.Stdin;
import dev.fanout.Step;
import dev.fanout.Task;
import dev.fanout.UploadSource;
import java.nio.file.Path;
import java.util.List;

/** Pushes a service's config file to hosts as root, then checks it there with a local script. */
public final class ConfigPush {

    private final Fanout fanout;

    /** Takes a client whose credentials hold the login password: it also answers sudo's prompt. */
    public ConfigPush(Fanout fanout) {
        this.fanout = fanout;
    }

    /** Writes the local file to {@code remotePath} on every host as root, then runs the check script as root. */
    public RunReport push(List<Host> hosts, Path configFile, String remotePath, Path checkScript) {
        Task task = new Task(List.of(
                // Stdin streamed from the file (any size) into a command run as root through sudo; the path is an
                // environment variable, exported (quoted) in front of the command inside sudo's shell.
                new Step.Exec(Command.of("install -D -m 0644 /dev/stdin \"$CONFIG\"")
                        .withEnv("CONFIG", remotePath)
                        .withStdin(Stdin.file(configFile))
                        .withSudo()
                        .checked()),
                // A local script: uploaded to a private file (0700), run as root with its arguments, then removed.
                Step.script(UploadSource.file(checkScript), Command.of("sh {{script}} \"$CONFIG\"")
                        .withEnv("CONFIG", remotePath)
                        .withSudo())),
                false);
        return fanout.run(hosts, task, RunOptions.defaults());
    }

    /** What a command that needs a terminal sees: a 120x40 pty, as {@code ssh -t} gives ("40 120"). */
    public String terminalSize(Host host) {
        try (HostSession session = fanout.connect(host)) {
            return session.exec(Command.of("stty size").withPty(new Pty(120, 40))).stdout().text().strip();
        }
    }
}
