package dev.fanout.internal.hostkey;

import dev.fanout.HostKeyPolicy;
import dev.fanout.spi.HostKeyVerdict;
import dev.fanout.spi.HostKeyVerdict.Status;
import dev.fanout.spi.HostKeyVerifier;
import java.nio.file.Path;
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

    /**
     * The verifier for a mode and several known_hosts files, as OpenSSH's {@code UserKnownHostsFile} lists them: a
     * key is trusted when any file records it for the host, changed when one records another key for it, and (under
     * ACCEPT_NEW) recorded in the first file when none knows the host. No files: every key is unknown.
     *
     * @throws java.io.UncheckedIOException if a file exists but cannot be read
     */
    public static HostKeyVerifier forFiles(HostKeyPolicy.Mode mode, List<Path> files) {
        if (mode == HostKeyPolicy.Mode.ACCEPT_ALL || files.size() == 1) {
            return forPolicy(new HostKeyPolicy(mode, files.isEmpty() ? null : files.get(0)));
        }
        List<KnownHostsFile> loaded = files.stream().map(KnownHostsFile::load).toList();
        return new HostKeyVerifier() {
            @Override
            public HostKeyVerdict verify(String hostKeyName, byte[] keyBlob) {
                HostKeyVerdict changed = null;
                for (KnownHostsFile file : loaded) {
                    HostKeyVerdict verdict = file.check(hostKeyName, keyBlob);
                    if (verdict.status() == Status.TRUSTED) {
                        return verdict;
                    }
                    if (verdict.status() == Status.CHANGED && changed == null) {
                        changed = verdict;
                    }
                }
                if (changed != null) {
                    return changed;
                }
                if (mode == HostKeyPolicy.Mode.ACCEPT_NEW && !loaded.isEmpty()) {
                    return loaded.get(0).checkOrAdd(hostKeyName, keyBlob);
                }
                return new HostKeyVerdict(Status.UNKNOWN, SshKeys.keyType(keyBlob), SshKeys.fingerprint(keyBlob),
                        (files.isEmpty() ? "no known_hosts file (UserKnownHostsFile none)" : files.toString())
                                + " under the name " + hostKeyName);
            }

            @Override
            public List<String> knownKeyTypes(String hostKeyName) {
                return loaded.stream().flatMap(file -> file.knownKeyTypes(hostKeyName).stream()).distinct().toList();
            }
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
