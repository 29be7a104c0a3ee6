package dev.fanout.cli;

import dev.fanout.Step;
import dev.fanout.Task;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fanout fetch}: downloads one remote file (or tree) from every host, a local file (or directory) per host. */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Downloads REMOTE_PATH from every host over SFTP (else exec) into LOCAL_DIR, one file per host "
                        + "named after it as -H reads it back (web01.dc1; 10.0.0.7:2222 or [2001:db8::7]:2222 on "
                        + "another port); each is written under a temporary name, checked and moved into place. With "
                        + "-r, REMOTE_PATH is a directory whose tree goes into LOCAL_DIR/<host>/, file by file, modes "
                        + "kept.",
                "Takes the hosts, credentials, limits and output options of 'run'; the run mode is --run-mode here."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host ok", "1:at least one host failed or timed out",
                "2:usage, inventory or configuration error (no host contacted)",
                "130:interrupted (the results so far are kept)"})
final class FetchCommand extends HostJobCommand {

    @Parameters(index = "0", paramLabel = "REMOTE_PATH",
            description = "The file (or directory, with -r) to fetch from each host.")
    private String remotePath;

    @Parameters(index = "1", paramLabel = "LOCAL_DIR", description = "The directory to put the files in.")
    private Path localDirectory;

    @Option(names = "--sha256", description = "Also compare SHA-256 digests (sha256sum on the host, else read back).")
    private boolean sha256;

    @Option(names = {"-r", "--recursive"}, description = "REMOTE_PATH is a directory: fetch its tree into "
            + "LOCAL_DIR/<host>/, keeping modes; links and special files are skipped (and listed).")
    private boolean recursive;

    @Override
    Task task() {
        if (recursive) {
            Step.DownloadTree tree = Step.downloadTreeEach(remotePath, localDirectory);
            return new Task(List.of(sha256 ? tree.withSha256() : tree), false);
        }
        Step.Download download = Step.downloadEach(remotePath, localDirectory);
        return new Task(List.of(sha256 ? download.withSha256() : download), false);
    }
}
