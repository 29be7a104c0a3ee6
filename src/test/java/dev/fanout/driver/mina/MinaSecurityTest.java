package dev.fanout.driver.mina;

import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.Test;

/**
 * Once fanout has configured MINA, the algorithms of every handshake come from the JDK, not from BouncyCastle
 * (which MINA registers as the default of everything). Ed25519 keys, which still need BouncyCastle, are covered by
 * the contract tests (Ed25519 client keys, and the real sshd's Ed25519 host key).
 */
class MinaSecurityTest {

    @Test
    void handshakeAlgorithmsComeFromTheJdk() throws Exception {
        MinaSecurity.preferJdkCrypto();
        assertNotEquals("BC", SecurityUtils.getKeyAgreement("X25519").getProvider().getName());
        assertNotEquals("BC", SecurityUtils.getKeyAgreement("ECDH").getProvider().getName());
        assertNotEquals("BC", SecurityUtils.getSignature("SHA256withECDSA").getProvider().getName());
        assertNotEquals("BC", SecurityUtils.getSignature("SHA256withRSA").getProvider().getName());
        assertNotEquals("BC", SecurityUtils.getMessageDigest("SHA-256").getProvider().getName());
        assertNotEquals("BC", SecurityUtils.getCipher("AES/CTR/NoPadding").getProvider().getName());
        assertNotEquals("BC", SecurityUtils.getMac("HmacSHA256").getProvider().getName());
    }
}
