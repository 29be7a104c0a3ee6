package dev.fanout.driver.mina;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.sshd.common.util.security.SecurityProviderChoice;
import org.apache.sshd.common.util.security.SecurityProviderRegistrar;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Where MINA SSHD's cryptography comes from. MINA needs BouncyCastle for Ed25519 keys, and once BouncyCastle is
 * registered MINA takes every algorithm from it: X25519, ECDSA, SHA-2, AES, HMAC in pure Java, where the JDK's own
 * providers use intrinsics. This limits BouncyCastle to EdDSA (MINA's registrar keeps EdDSA key factories,
 * generators and signatures whatever its {@code supportAll} setting says), so everything else comes from the JDK.
 * Call it before the first MINA client or server is made (MINA caches its choices); later calls do nothing; a
 * {@code org.apache.sshd.security.provider.BC.supportAll} system property set by the user is kept. Thread-safe.
 */
public final class MinaSecurity {

    /** MINA's BouncyCastle registrar's list of algorithms beyond EdDSA ("all" by default); a user's value wins. */
    /** The names under which MINA asks for EdDSA key factories, generators and signatures. */
    private static final String EDDSA_ALGORITHMS = "EdDSA,Ed25519,NONEwithEdDSA";
    static final String SUPPORT_ALL_PROPERTY = SecurityProviderRegistrar.CONFIG_PROP_BASE + ".BC.supportAll";
    private static final AtomicBoolean APPLIED = new AtomicBoolean();

    private MinaSecurity() {
    }

    /** Restricts BouncyCastle to EdDSA, once per JVM. */
    public static void preferJdkCrypto() {
        if (!APPLIED.compareAndSet(false, true)) {
            return;
        }
        if (System.getProperty(SUPPORT_ALL_PROPERTY) == null) {
            // Read by MINA's registrar from the system properties when it first answers (then cached).
            System.setProperty(SUPPORT_ALL_PROPERTY, EDDSA_ALGORITHMS);
        }
        if (System.getProperty(SecurityUtils.PROP_DEFAULT_SECURITY_PROVIDER) == null
                && SecurityUtils.isBouncyCastleRegistered()) {
            // Registering BouncyCastle made it the default provider of every algorithm; no default instead, so
            // each algorithm goes to a registrar that supports it (BouncyCastle for EdDSA), else to the JDK.
            SecurityUtils.setDefaultProviderChoice(SecurityProviderChoice.EMPTY);
        }
    }
}
