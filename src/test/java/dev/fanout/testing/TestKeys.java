package dev.fanout.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Client key pairs made with OpenSSH's {@code ssh-keygen}, encrypted with {@link #PASSPHRASE}. */
public final class TestKeys {

    /** The passphrase of every generated key. */
    public static final String PASSPHRASE = "key-passphrase";

    /** The key types tested: their {@code ssh-keygen} flags ({@code -t} and any others). */
    public enum Type {
        ED25519("-t", "ed25519"), ECDSA("-t", "ecdsa", "-b", "256"), RSA("-t", "rsa", "-b", "2048", "-m", "PEM");

        @SuppressWarnings("ImmutableEnumChecker") // List.of is unmodifiable, which the check cannot see in the type
        private final List<String> args;

        Type(String... args) {
            this.args = List.of(args);
        }
    }

    /** Every private key format {@code ssh-keygen} writes (Ed25519 only as OpenSSH): its {@code -t -b -m} flags. */
    public enum Format {
        OPENSSH_ED25519("-t", "ed25519"),
        OPENSSH_ECDSA_256("-t", "ecdsa", "-b", "256"),
        OPENSSH_ECDSA_384("-t", "ecdsa", "-b", "384"),
        OPENSSH_ECDSA_521("-t", "ecdsa", "-b", "521"),
        OPENSSH_RSA("-t", "rsa", "-b", "2048"),
        PEM_RSA("-t", "rsa", "-b", "2048", "-m", "PEM"),
        PEM_ECDSA("-t", "ecdsa", "-b", "256", "-m", "PEM"),
        PKCS8_RSA("-t", "rsa", "-b", "2048", "-m", "PKCS8"),
        PKCS8_ECDSA("-t", "ecdsa", "-b", "256", "-m", "PKCS8");

        @SuppressWarnings("ImmutableEnumChecker") // List.of is unmodifiable, which the check cannot see in the type
        private final List<String> flags;

        Format(String... flags) {
            this.flags = List.of(flags);
        }
    }

    private TestKeys() {
    }

    /**
     * Generates a new key pair in this format, encrypted with the passphrase, or not encrypted for an empty one;
     * returns the private key path (the public key is beside it, {@code .pub}).
     */
    public static Path generate(Path directory, Format format, String passphrase)
            throws IOException, InterruptedException {
        Path key = directory.resolve("id_" + format.name().toLowerCase(java.util.Locale.ROOT)
                + (passphrase.isEmpty() ? "" : "_encrypted"));
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", passphrase,
                "-C", "fanout-test", "-f", key.toString()));
        command.addAll(format.flags);
        Processes.run(command);
        return key;
    }

    /** Generates a key pair; returns the private key path (the public key is beside it, {@code .pub}). */
    public static Path generate(Path directory, Type type) throws IOException, InterruptedException {
        Path key = directory.resolve("id_" + type.name().toLowerCase(java.util.Locale.ROOT));
        if (Files.exists(key)) {
            return key;
        }
        List<String> command = new java.util.ArrayList<>(List.of("ssh-keygen", "-q", "-N", PASSPHRASE,
                "-C", "fanout-test", "-f", key.toString()));
        command.addAll(type.args);
        Processes.run(command);
        return key;
    }

    /** Generates all three types; returns their public key lines. */
    public static List<String> publicKeyLines(Path directory) throws IOException, InterruptedException {
        List<String> lines = new java.util.ArrayList<>();
        for (Type type : Type.values()) {
            lines.add(Files.readString(Path.of(generate(directory, type) + ".pub")).strip());
        }
        return lines;
    }
}
