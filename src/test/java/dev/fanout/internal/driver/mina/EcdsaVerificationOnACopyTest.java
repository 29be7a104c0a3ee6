package dev.fanout.internal.driver.mina;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.bouncycastle.jcajce.provider.asymmetric.ec.BCECPublicKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.math.ec.WNafUtil;
import org.junit.jupiter.api.Test;

/**
 * ECDSA host keys are verified on a copy, as MINA's own signatures would verify them: a signature made by the host's
 * key is accepted and any other is refused, for keys decoded by BouncyCastle as MINA decodes a server's key, and the
 * key the session keeps gets no precomputation attached; the other algorithms keep MINA's factories.
 */
class EcdsaVerificationOnACopyTest {

    private static final byte[] DATA = "the exchange hash".getBytes(StandardCharsets.UTF_8);

    private static final Map<String, String> CURVES = Map.of(BuiltinSignatures.nistp256.getName(), "secp256r1",
            BuiltinSignatures.nistp384.getName(), "secp384r1", BuiltinSignatures.nistp521.getName(), "secp521r1");

    @Test
    void verifiesWhatTheHostsKeySignedAndRefusesEverythingElseOnEachCurve() throws Exception {
        List<NamedFactory<Signature>> factories = EcdsaVerificationOnACopy.of(List.of(BuiltinSignatures.nistp256,
                BuiltinSignatures.nistp384, BuiltinSignatures.nistp521));
        for (NamedFactory<Signature> factory : factories) {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVES.get(factory.getName())));
            KeyPair host = generator.generateKeyPair();
            PublicKey decodedByBouncyCastle = KeyFactory.getInstance("EC", new BouncyCastleProvider())
                    .generatePublic(new X509EncodedKeySpec(host.getPublic().getEncoded()));

            Signature signer = BuiltinSignatures.fromFactoryName(factory.getName()).create();
            signer.initSigner(null, host.getPrivate());
            signer.update(null, DATA);
            byte[] signature = signer.sign(null);

            assertTrue(verify(factory, decodedByBouncyCastle, DATA, signature), factory.getName());
            byte[] otherData = "another exchange hash".getBytes(StandardCharsets.UTF_8);
            assertFalse(verify(factory, decodedByBouncyCastle, otherData, signature), factory.getName());
            PublicKey otherKey = generator.generateKeyPair().getPublic();
            assertFalse(verify(factory, otherKey, DATA, signature), factory.getName());
        }
    }

    @Test
    void theKeyTheSessionKeepsGetsNoPrecomputationWhereMinasOwnVerificationAttachesOne() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair host = generator.generateKeyPair();
        Signature signer = BuiltinSignatures.nistp256.create();
        signer.initSigner(null, host.getPrivate());
        signer.update(null, DATA);
        byte[] signature = signer.sign(null);
        KeyFactory bouncyCastle = KeyFactory.getInstance("EC", new BouncyCastleProvider());

        BCECPublicKey verifiedOnACopy = (BCECPublicKey) bouncyCastle
                .generatePublic(new X509EncodedKeySpec(host.getPublic().getEncoded()));
        assertTrue(verify(EcdsaVerificationOnACopy.of(List.of(BuiltinSignatures.nistp256)).get(0), verifiedOnACopy,
                DATA, signature));
        assertNull(WNafUtil.getWNafPreCompInfo(verifiedOnACopy.getQ()));

        BCECPublicKey verifiedByMina = (BCECPublicKey) bouncyCastle
                .generatePublic(new X509EncodedKeySpec(host.getPublic().getEncoded()));
        assertTrue(verify(BuiltinSignatures.nistp256, verifiedByMina, DATA, signature));
        assertNotNull(WNafUtil.getWNafPreCompInfo(verifiedByMina.getQ()));
    }

    @Test
    void leavesTheOtherAlgorithmsAndTheirOrderAsTheyAre() {
        List<NamedFactory<Signature>> given = List.of(BuiltinSignatures.ed25519, BuiltinSignatures.nistp256,
                BuiltinSignatures.rsaSHA512, BuiltinSignatures.nistp256_cert);
        List<NamedFactory<Signature>> replaced = EcdsaVerificationOnACopy.of(given);
        assertEquals(given.stream().map(NamedFactory::getName).toList(),
                replaced.stream().map(NamedFactory::getName).toList());
        assertSame(BuiltinSignatures.ed25519, replaced.get(0));
        assertFalse(replaced.get(1) instanceof BuiltinSignatures);
        assertSame(BuiltinSignatures.rsaSHA512, replaced.get(2));
        assertSame(BuiltinSignatures.nistp256_cert, replaced.get(3));
    }

    private static boolean verify(NamedFactory<Signature> factory, PublicKey key, byte[] data, byte[] signature)
            throws Exception {
        Signature verifier = factory.create();
        verifier.initVerifier(null, key);
        verifier.update(null, data);
        return verifier.verify(null, signature);
    }
}
