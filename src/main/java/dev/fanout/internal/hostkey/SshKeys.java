package dev.fanout.internal.hostkey;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Small helpers over public keys in SSH wire format: their type and fingerprint. */
public final class SshKeys {

    private SshKeys() {
    }

    /**
     * The key type named at the start of a wire-format key, e.g. {@code ssh-ed25519}.
     *
     * @throws IllegalArgumentException if the blob is malformed
     */
    public static String keyType(byte[] blob) {
        if (blob.length < 4) {
            throw new IllegalArgumentException("public key blob too short: " + blob.length + " bytes");
        }
        int length = ByteBuffer.wrap(blob).getInt();
        if (length <= 0 || length > blob.length - 4) {
            throw new IllegalArgumentException("malformed public key blob");
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    /** OpenSSH's fingerprint: {@code SHA256:} and the unpadded Base64 of the SHA-256 of the blob. */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
