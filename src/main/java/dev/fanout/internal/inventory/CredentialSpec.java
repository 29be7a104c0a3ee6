package dev.fanout.internal.inventory;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where a named set of credentials in an inventory comes from; the inventory holds no secret itself, only the
 * environment variables and files that do.
 *
 * @param passwordEnv the variable holding a password
 * @param passwordFile the file holding a password (must be private)
 * @param identities private key files
 * @param passphraseEnv the variable holding the keys' passphrase
 */
public record CredentialSpec(Optional<String> passwordEnv, Optional<Path> passwordFile, List<Path> identities,
        Optional<String> passphraseEnv) {

    /** Copies the key list. */
    public CredentialSpec {
        identities = List.copyOf(identities);
    }
}
