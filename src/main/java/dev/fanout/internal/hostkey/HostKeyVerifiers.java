package dev.fanout.internal.hostkey;

import dev.fanout.HostKeyPolicy;
import dev.fanout.spi.HostKeyVerdict;
import dev.fanout.spi.HostKeyVerdict.Status;
import dev.fanout.spi.HostKeyVerifier;
import java.util.List;

/** Turns a {@link HostKeyPolicy} into the {@link HostKeyVerifier} drivers call. */
public final class HostKeyVerifiers {

    private HostKeyVerifiers() {
    }

    /**
     * The verifier for a policy. STRICT and ACCEPT_NEW read the known_hosts file now, skipping malformed lines with
     * a warning each.
     *
     * @throws java.io.UncheckedIOException if the file exists but cannot be read
     */
    public static HostKeyVerifier forPolicy(HostKeyPolicy policy) {
        return switch (policy.mode()) {
            case STRICT -> {
                KnownHostsFile file = KnownHostsFile.load(policy.knownHosts());
                yield knownHostsVerifier(file, file::check);
            }
            case ACCEPT_NEW -> {
                KnownHostsFile file = KnownHostsFile.load(policy.knownHosts());
                yield knownHostsVerifier(file, file::checkOrAdd);
            }
            case ACCEPT_ALL -> (name, keyBlob) -> new HostKeyVerdict(Status.UNCHECKED, SshKeys.keyType(keyBlob),
                    SshKeys.fingerprint(keyBlob), "not checked (ACCEPT_ALL)");
        };
    }

    private static HostKeyVerifier knownHostsVerifier(KnownHostsFile file, HostKeyVerifier check) {
        return new HostKeyVerifier() {
            @Override
            public HostKeyVerdict verify(String hostKeyName, byte[] keyBlob) {
                return check.verify(hostKeyName, keyBlob);
            }

            @Override
            public List<String> knownKeyTypes(String hostKeyName) {
                return file.knownKeyTypes(hostKeyName);
            }
        };
    }
}
