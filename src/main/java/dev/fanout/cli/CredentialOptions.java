package dev.fanout.cli;

import dev.fanout.AuthMethod;
import dev.fanout.Credentials;
import dev.fanout.Host;
import dev.fanout.Secret;
import dev.fanout.internal.agent.AgentSockets;
import dev.fanout.internal.inventory.CredentialSpec;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
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
     * @param defaults the credentials of hosts that have none of their own; none when an ssh config's IdentityFiles
     *     are to log them in
     * @param perHost the credentials inventories give their hosts
     */
    record HostCredentials(Optional<Credentials> defaults, Map<Host, Credentials> perHost) {

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

    @Option(names = "--agent", negatable = true, description = "Offer ssh-agent's keys ($SSH_AUTH_SOCK, or the ssh "
            + "config's IdentityAgent) after the --identity keys (default: when SSH_AUTH_SOCK is set; --no-agent: "
            + "never).")
    private Boolean agent;

    /**
     * The credentials of the hosts selected: the inventories' sets first, then those of the options, so that the
     * password prompt of {@code --ask-pass} comes after every other check.
     *
     * @param configured whether an ssh config (not an empty one) is in force: its IdentityFiles may then be a host's
     *     only keys, and a host left without any is refused by the run, naming it
     * @param warnings told when {@code SSH_AUTH_SOCK} names no usable agent and none was asked for ({@code --agent}
     *     makes that an error)
     * @throws IllegalArgumentException naming the inventory and set, or the option, whose secret cannot be read, or
     *     naming a host that no credentials cover
     */
    HostCredentials forHosts(HostSelection hosts, boolean configured, Consumer<String> warnings) {
        Map<HostSelection.InventorySet, Credentials> sets = new HashMap<>();
        Map<Host, Credentials> perHost = new HashMap<>();
        hosts.inventorySets().forEach((host, set) -> perHost.put(host,
                sets.computeIfAbsent(set, CredentialOptions::fromInventory)));
        boolean useAgent = agent != null ? agent : environmentAgentUsable(warnings);
        Optional<Credentials> options = combine(identities,
                passphraseEnv == null ? null : Secret.fromEnv(passphraseEnv), useAgent,
                password.password().orElse(null));
        if (options.isPresent() || configured) {
            return new HostCredentials(options, perHost);
        }
        List<Host> uncovered = hosts.toRun().stream().filter(host -> !perHost.containsKey(host)).toList();
        if (!uncovered.isEmpty() || perHost.isEmpty()) {
            throw new IllegalArgumentException("no credentials" + (uncovered.isEmpty() ? "" : " for "
                    + uncovered.get(0) + (uncovered.size() > 1 ? " and " + (uncovered.size() - 1) + " more" : ""))
                    + ": give --password-env VAR, --password-file FILE, --ask-pass, --identity FILE or --agent");
        }
        // Every host has its own; the library still wants defaults.
        return new HostCredentials(Optional.of(perHost.values().iterator().next()), perHost);
    }

    /**
     * Whether {@code SSH_AUTH_SOCK} names an agent that listens, as the default of {@code --agent}. As for ssh, a
     * stale variable (the agent is gone) is no error when nobody asked for the agent: the run goes on without it.
     */
    private static boolean environmentAgentUsable(Consumer<String> warnings) {
        Optional<Path> socket = AgentSockets.fromEnvironmentIfSet(System::getenv);
        try {
            socket.ifPresent(path -> AgentSockets.requireUsable(path, " (" + AgentSockets.ENVIRONMENT + ")"));
            return socket.isPresent();
        } catch (IllegalArgumentException e) {
            warnings.accept(e.getMessage() + "; its keys are not offered");
            return false;
        }
    }

    /** A named credential set of an inventory, read the same way as the options. */
    private static Credentials fromInventory(HostSelection.InventorySet set) {
        CredentialSpec spec = set.spec();
        try {
            Secret passphrase = spec.passphraseEnv().map(Secret::fromEnv).orElse(null);
            Secret password = spec.passwordEnv().map(Secret::fromEnv)
                    .orElseGet(() -> spec.passwordFile().map(PasswordFile::read).orElse(null));
            List<Path> keys = spec.identities().stream().map(CredentialOptions::expandHome).toList();
            return combine(keys, passphrase, false, password).orElseThrow(); // an inventory refuses an empty set
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new IllegalArgumentException(set.inventory() + ": credentials." + set.name() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The keys named first (the key the user names is the one meant; ssh would try each agent key before it, and a
     * full agent can use up the server's MaxAuthTries), then the agent's, then the password (password and
     * keyboard-interactive); empty when there is none of these.
     */
    private static Optional<Credentials> combine(List<Path> keys, Secret passphrase, boolean agent, Secret password) {
        List<AuthMethod> methods = new ArrayList<>();
        for (Path key : keys) {
            methods.add(AuthMethod.privateKey(key, passphrase));
        }
        if (agent) {
            methods.add(AuthMethod.agent());
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
