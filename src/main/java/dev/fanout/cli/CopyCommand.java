package dev.fanout.cli;

import dev.fanout.Step;
import dev.fanout.Task;
import dev.fanout.UploadSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fanout copy}: uploads local files into a directory on every host, over SFTP (else exec). */
@Command(name = "copy", mixinStandardHelpOptions = true, sortOptions = false,
        description = {
                "Uploads each SRC into DEST_DIR on every host over SFTP (over exec where a host has none): "
                        + "missing directories are made, each file is written under a temporary name, checked and "
                        + "renamed into place in one step. With -r, a directory SRC becomes DEST_DIR/<its name>, file "
                        + "by file, modes kept.",
                "Takes the hosts, credentials, limits and output options of 'run'; the run mode is --run-mode here."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every host ok", "1:at least one host failed or timed out",
                "2:usage, inventory or configuration error (no host contacted)",
                "130:interrupted (the results so far are kept)"})
final class CopyCommand extends HostJobCommand {

    @Parameters(arity = "2..*", paramLabel = "SRC... DEST_DIR",
            description = "Local files (and directories, with -r), then the remote directory they go into.")
    private List<String> paths = new ArrayList<>();

    @Option(names = "--mode", paramLabel = "OCTAL", defaultValue = "0644",
            description = "Permission bits of the uploaded files (default 0644); files under a directory keep theirs.")
    private String fileMode;

    @Option(names = "--sha256", description = "Also compare SHA-256 digests (sha256sum on the host, else read back).")
    private boolean sha256;

    @Option(names = {"-r", "--recursive"}, description = "Copy directories too, each as DEST_DIR/<its name>, keeping "
            + "modes; links and special files are skipped (and listed).")
    private boolean recursive;

    @Override
    Task task() {
        int mode = parseMode(fileMode);
        String directory = paths.get(paths.size() - 1);
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        List<Step> steps = new ArrayList<>();
        for (String source : paths.subList(0, paths.size() - 1)) {
            Path local = Path.of(source);
            if (Files.isDirectory(local)) {
                steps.add(tree(local, prefix));
                continue;
            }
            UploadSource file = UploadSource.file(local);
            Step.Upload upload = Step.upload(file, prefix + file.name()).withMode(mode);
            steps.add(sha256 ? upload.withSha256() : upload);
        }
        return new Task(steps, false);
    }

    private Step tree(Path directory, String prefix) {
        if (!recursive) {
            throw new IllegalArgumentException(directory + " is a directory: copy it with -r");
        }
        Path name = directory.toAbsolutePath().normalize().getFileName();
        if (name == null) {
            throw new IllegalArgumentException("cannot copy " + directory + ": it has no name to copy it under");
        }
        Step.UploadTree tree = Step.uploadTree(directory, prefix + name);
        return sha256 ? tree.withSha256() : tree;
    }

    private static int parseMode(String text) {
        try {
            int mode = Integer.parseInt(text, 8);
            if (mode >= 0 && mode <= 07777) {
                return mode;
            }
        } catch (NumberFormatException e) {
            // Reported below with the value.
        }
        throw new IllegalArgumentException("--mode must be octal permission bits such as 0755: '" + text + "'");
    }
}
