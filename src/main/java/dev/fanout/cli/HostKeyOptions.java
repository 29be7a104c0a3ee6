package dev.fanout.cli;

import dev.fanout.HostKeyPolicy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The host-key options of {@code run}, {@code copy} and {@code fetch}: the known_hosts file and the policy. */
final class HostKeyOptions {

    /** Reads {@code --host-key-policy}: {@code strict}, {@code accept-new} or {@code accept-all}. */
    static final class PolicyConverter extends ChoiceConverter<HostKeyPolicy.Mode> {
        PolicyConverter() {
            super(HostKeyPolicy.Mode.class);
        }
    }

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts file (default ~/.ssh/known_hosts).")
    private Path knownHosts = HostKeyPolicy.defaultKnownHosts();

    @Option(names = "--host-key-policy", paramLabel = "POLICY", defaultValue = "strict",
            converter = PolicyConverter.class,
            description = "strict (default), accept-new (trust on first use) or accept-all (no check: unsafe).")
    private HostKeyPolicy.Mode mode;

    /** The policy the options give. */
    HostKeyPolicy policy() {
        return switch (mode) {
            case STRICT -> HostKeyPolicy.strict(knownHosts);
            case ACCEPT_NEW -> HostKeyPolicy.acceptNew(knownHosts);
            case ACCEPT_ALL -> HostKeyPolicy.acceptAll();
        };
    }
}
