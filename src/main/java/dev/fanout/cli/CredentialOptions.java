package dev.fanout.cli;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.internal.inventory.CredentialSpec;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The credentials options of {@code run}, {@code copy} and {@code fetch}: a password ({@link PasswordOptions}), private
 * keys and their passphrase. With the credential sets inventories give their hosts, they make the credentials of
 * every host.
 */
final class CredentialOptions {

    /**
     * What {@link #forHosts} found.
     *
     * @param defaults the credentials of hosts that have none of their own
     * @param perHost the credentials inventories give their hosts
     */
    record HostCredentials(Credentials defaults, Map<Host, Credentials> perHost) {

        /** Copies the map. */
        HostCredentials {
            perHost = Map.copyOf(perHost);
        }
    }

    @Mixin
    private PasswordOptions password;

    @Option(names = "--identity", paramLabel = "FILE", description = "A private key (Ed25519, ECDSA, RSA). Repeatable.")
    private List<Path> identities = new ArrayList<>();

    @Option(names = "--passphrase-env", paramLabel = "VAR", description = "The keys' passphrase, from this variable.")
    private String passphraseEnv;

    /**
     * The credentials of the hosts selected: the inventories' sets first, then those of the options, so that the
     * password prompt of {@code --ask-pass} comes after every other check.
     *
     * @throws IllegalArgumentException naming the inventory and set, or the option, whose secret cannot be read, or
     *     naming a host that no credentials cover
     */
    HostCredentials forHosts(HostSelection hosts) {
        Map<HostSelection.InventorySet, Credentials> sets = new HashMap<>();
        Map<Host, Credentials> perHost = new HashMap<>();
        hosts.inventorySets().forEach((host, set) -> perHost.put(host,
                sets.computeIfAbsent(set, CredentialOptions::fromInventory)));
        Optional<Credentials> options = combine(identities,
                passphraseEnv == null ? null : Secret.fromEnv(passphraseEnv), password.password().orElse(null));
        if (options.isPresent()) {
            return new HostCredentials(options.get(), perHost);
        }
        List<Host> uncovered = hosts.toRun().stream().filter(host -> !perHost.containsKey(host)).toList();
        if (!uncovered.isEmpty() || perHost.isEmpty()) {
            throw new IllegalArgumentException("no credentials" + (uncovered.isEmpty() ? "" : " for "
                    + uncovered.get(0) + (uncovered.size() > 1 ? " and " + (uncovered.size() - 1) + " more" : ""))
                    + ": give --password-env VAR, --password-file FILE, --ask-pass or --identity FILE");
        }
        // Every host has its own; the library still wants defaults.
        return new HostCredentials(perHost.values().iterator().next(), perHost);
    }

    /** A named credential set of an inventory, read the same way as the options. */
    private static Credentials fromInventory(HostSelection.InventorySet set) {
        CredentialSpec spec = set.spec();
        try {
            Secret passphrase = spec.passphraseEnv().map(Secret::fromEnv).orElse(null);
            Secret password = spec.passwordEnv().map(Secret::fromEnv)
                    .orElseGet(() -> spec.passwordFile().map(PasswordFile::read).orElse(null));
            List<Path> keys = spec.identities().stream().map(CredentialOptions::expandHome).toList();
            return combine(keys, passphrase, password).orElseThrow(); // an inventory refuses an empty set
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(set.inventory() + ": credentials." + set.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /** Keys first, then the password (password and keyboard-interactive); empty when there is neither. */
    private static Optional<Credentials> combine(List<Path> keys, Secret passphrase, Secret password) {
        List<AuthMethod> methods = new ArrayList<>();
        for (Path key : keys) {
            methods.add(AuthMethod.privateKey(key, passphrase));
        }
        if (password != null) {
            methods.addAll(Credentials.password(password).methods());
        }
        return methods.isEmpty() ? Optional.empty() : Optional.of(new Credentials(methods));
    }

    private static Path expandHome(Path path) {
        String text = path.toString();
        return text.equals("~") || text.startsWith("~/")
                ? Path.of(System.getProperty("user.home") + text.substring(1)) : path;
    }
}
