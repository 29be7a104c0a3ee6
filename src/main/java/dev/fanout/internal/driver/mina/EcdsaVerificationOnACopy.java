package dev.fanout.internal.driver.mina;

import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.signature.SignatureECDSA;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * ECDSA signatures that verify with a copy of the public key, dropped with the signature. BouncyCastle's
 * verification attaches a table of precomputed multiples to the key it verifies with, about 5 KB for a P-256 key,
 * and a session keeps the server's host key for its whole life: 23 MB of heap at 5,000 hosts of ECDSA host keys
 * (docs/library.md, "Footprint"). The copy costs one decoding of the key; the JDK's own provider would need no copy
 * but verifies 4 to 7 times slower with C1, the command line's JIT ({@code config/bench/EcdsaVerification.java}).
 * Signing (a user's ECDSA key) is MINA's own.
 */
final class EcdsaVerificationOnACopy {

    /** The JCA algorithm of each ECDSA host key algorithm. */
    private static final Map<String, String> ALGORITHMS = Map.of(
            BuiltinSignatures.nistp256.getName(), SignatureECDSA.SignatureECDSA256.DEFAULT_ALGORITHM,
            BuiltinSignatures.nistp384.getName(), SignatureECDSA.SignatureECDSA384.DEFAULT_ALGORITHM,
            BuiltinSignatures.nistp521.getName(), SignatureECDSA.SignatureECDSA521.DEFAULT_ALGORITHM);

    private EcdsaVerificationOnACopy() {
    }

    /** These signature factories, the ECDSA ones replaced by factories of signatures that verify on a copy. */
    static List<NamedFactory<Signature>> of(List<NamedFactory<Signature>> factories) {
        return factories.stream().map(factory -> {
            String algorithm = ALGORITHMS.get(factory.getName());
            return algorithm == null ? factory : new VerifierFactory(factory.getName(), algorithm);
        }).toList();
    }

    /** Makes the signatures of one ECDSA algorithm. */
    private record VerifierFactory(String name, String algorithm) implements NamedFactory<Signature> {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public Signature create() {
            return new Verifier(algorithm, name);
        }
    }

    /** MINA's ECDSA signature of one curve, verifying with a copy of the key. */
    private static final class Verifier extends SignatureECDSA {
        Verifier(String algorithm, String sshAlgorithmName) {
            super(algorithm, sshAlgorithmName);
        }

        @Override
        public void initVerifier(SessionContext session, PublicKey key) throws Exception {
            PublicKey copy = SecurityUtils.getKeyFactory(key.getAlgorithm())
                    .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            super.initVerifier(session, copy);
        }
    }
}
