package dev.fanout.internal.hostkey;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.TimeUnit;
import javax.crypto.KeyAgreement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The calibration of the performance gate: the JDK's own crypto for one SSH handshake on this machine (an X25519
 * key pair and agreement, an ECDSA P-256 host key signature check, the exchange hash), in milliseconds. Client CPU
 * per host divided by this is comparable across machines, where milliseconds are not.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class HandshakeCryptoBenchmark {

    private KeyPair serverExchange;
    private KeyPair hostKey;
    private byte[] exchangeHash;
    private byte[] signature;

    /** Makes the server's side once. */
    @Setup
    public void setUp() throws GeneralSecurityException {
        serverExchange = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        hostKey = ec.generateKeyPair();
        exchangeHash = MessageDigest.getInstance("SHA-256").digest(new byte[512]);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(hostKey.getPrivate());
        signer.update(exchangeHash);
        signature = signer.sign();
    }

    /** What a client computes in one key exchange. */
    @Benchmark
    public boolean handshake() throws GeneralSecurityException {
        KeyPair client = KeyPairGenerator.getInstance("X25519").generateKeyPair();
        KeyAgreement agreement = KeyAgreement.getInstance("X25519");
        agreement.init(client.getPrivate());
        agreement.doPhase(serverExchange.getPublic(), true);
        byte[] secret = agreement.generateSecret();
        MessageDigest.getInstance("SHA-256").digest(secret);
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(hostKey.getPublic());
        verifier.update(exchangeHash);
        return verifier.verify(signature);
    }
}
