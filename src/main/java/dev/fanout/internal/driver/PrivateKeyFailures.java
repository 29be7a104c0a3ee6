package dev.fanout.internal.driver;

import dev.fanout.AuthMethod;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The one wording, shared by the drivers, of why a private key cannot be used: a wrong passphrase, a missing one,
 * or a key the driver cannot read. Messages name the key, never its passphrase.
 */
public final class PrivateKeyFailures {

    private static final String OPENSSH_BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String OPENSSH_END = "-----END OPENSSH PRIVATE KEY-----";
    private static final byte[] OPENSSH_MAGIC = "openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII);

    private PrivateKeyFailures() {
    }

    /**
     * The failure to report for a key the driver could not decode: a wrong passphrase when the key is encrypted and
     * one was given, a missing passphrase when none was, else the driver's reason.
     *
     * @param key the key
     * @param cause the driver's failure, kept as the cause (drivers never put a passphrase in their messages)
     */
    public static IllegalArgumentException undecodable(AuthMethod.PublicKey key, Throwable cause) {
        if (encrypted(key.keyText().reveal())) {
            return key.passphrase().isPresent() ? wrongPassphrase(key, cause) : missingPassphrase(key);
        }
        String reason = cause == null ? "unknown format" : String.valueOf(cause.getMessage());
        return new IllegalArgumentException("cannot decode private key " + key.name() + ": " + reason, cause);
    }

    /** The key is encrypted and the passphrase given does not decrypt it. */
    public static IllegalArgumentException wrongPassphrase(AuthMethod.PublicKey key, Throwable cause) {
        return new IllegalArgumentException("private key " + key.name() + ": wrong passphrase", cause);
    }

    /** The key is encrypted and no passphrase was given. */
    public static IllegalArgumentException missingPassphrase(AuthMethod.PublicKey key) {
        return new IllegalArgumentException("private key " + key.name() + " is encrypted and no passphrase was given");
    }

    /**
     * Whether a private key text is encrypted: an OpenSSH key whose cipher is not {@code none}, a PEM key with
     * {@code Proc-Type: 4,ENCRYPTED}, or a PKCS#8 {@code ENCRYPTED PRIVATE KEY}.
     */
    static boolean encrypted(String keyText) {
        if (keyText.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----") || keyText.contains("Proc-Type: 4,ENCRYPTED")) {
            return true;
        }
        int begin = keyText.indexOf(OPENSSH_BEGIN);
        int end = keyText.indexOf(OPENSSH_END);
        if (begin < 0 || end < begin) {
            return false;
        }
        try {
            ByteBuffer body = ByteBuffer.wrap(Base64.getMimeDecoder()
                    .decode(keyText.substring(begin + OPENSSH_BEGIN.length(), end)));
            byte[] magic = new byte[OPENSSH_MAGIC.length];
            body.get(magic);
            byte[] cipher = new byte[body.getInt()];
            body.get(cipher);
            return Arrays.equals(magic, OPENSSH_MAGIC)
                    && !new String(cipher, StandardCharsets.US_ASCII).equals("none");
        } catch (IllegalArgumentException | BufferUnderflowException | NegativeArraySizeException e) {
            return false;
        }
    }
}
