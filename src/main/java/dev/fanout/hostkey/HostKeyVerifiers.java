package dev.fanout.hostkey;

import dev.fanout.HostKeyPolicy;
import dev.fanout.spi.HostKeyVerdict;
import dev.fanout.spi.HostKeyVerdict.Status;
import dev.fanout.spi.HostKeyVerifier;

/** Turns a {@link HostKeyPolicy} into the {@link HostKeyVerifier} drivers call. */
public final class HostKeyVerifiers {

    private HostKeyVerifiers() {
    }

    /**
     * The verifier for a policy. STRICT and ACCEPT_NEW read the known_hosts file now.
     *
     * @throws IllegalArgumentException if the file is malformed
     */
    public static HostKeyVerifier forPolicy(HostKeyPolicy policy) {
        return switch (policy.mode()) {
            case STRICT -> KnownHostsFile.load(policy.knownHosts())::check;
            case ACCEPT_NEW -> KnownHostsFile.load(policy.knownHosts())::checkOrAdd;
            case ACCEPT_ALL -> (host, keyBlob) -> new HostKeyVerdict(Status.UNCHECKED, SshKeys.keyType(keyBlob),
                    SshKeys.fingerprint(keyBlob), "not checked (ACCEPT_ALL)");
        };
    }
}
