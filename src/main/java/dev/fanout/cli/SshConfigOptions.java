package dev.fanout.cli;

import dev.fanout.SshConfig;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The OpenSSH client config options of {@code run}, {@code copy} and {@code fetch}: on by default, as for
 * {@code ssh}, reading {@code ~/.ssh/config} (or {@code -F FILE}); {@code --no-ssh-config} turns it off.
 */
final class SshConfigOptions {

    @Option(names = {"-F", "--ssh-config"}, paramLabel = "FILE",
            description = "Read this OpenSSH client config instead of ~/.ssh/config (as ssh -F).")
    private Path file;

    @Option(names = "--no-ssh-config", description = "Read no OpenSSH client config (~/.ssh/config by default).")
    private boolean off;

    /**
     * The config to resolve hosts through, read now; empty with {@code --no-ssh-config}.
     *
     * @throws IllegalArgumentException for both options at once, a missing {@code -F} file, or a bad line of a
     *     config (naming file and line)
     */
    Optional<SshConfig> config() {
        if (off && file != null) {
            throw new IllegalArgumentException("give -F FILE or --no-ssh-config, not both");
        }
        if (off) {
            return Optional.empty();
        }
        return Optional.of(file != null ? SshConfig.file(file) : SshConfig.userDefault());
    }
}
