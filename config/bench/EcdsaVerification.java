import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Time of one ECDSA P-256 host-key verification as a MINA session makes it (the server's key decoded by
 * BouncyCastle, then verified), with BouncyCastle's provider and with the JDK's SunEC, twice each in turn over N
 * fresh keys (default 2,000). Why fanout verifies with BouncyCastle on a copy of the key
 * (EcdsaVerificationOnACopy). Run it with the command line's JIT and with the JDK's:
 * {@code java -XX:TieredStopAtLevel=1 -cp 'target/lib/*' config/bench/EcdsaVerification.java 2000}, and the same
 * without the option.
 */
public final class EcdsaVerification {
    public static void main(String[] args) throws Exception {
        int keys = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        Provider bouncyCastle = new BouncyCastleProvider();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        byte[] hash = new byte[32];
        for (String provider : new String[] {"BC", "SunEC", "BC", "SunEC"}) {
            long nanos = 0;
            for (int i = 0; i < keys; i++) {
                KeyPair host = generator.generateKeyPair();
                Signature signer = Signature.getInstance("SHA256withECDSA");
                signer.initSign(host.getPrivate());
                signer.update(hash);
                byte[] signature = signer.sign();
                long start = System.nanoTime();
                PublicKey decoded = KeyFactory.getInstance("EC", bouncyCastle)
                        .generatePublic(new X509EncodedKeySpec(host.getPublic().getEncoded()));
                Signature verifier = provider.equals("BC") ? Signature.getInstance("SHA256withECDSA", bouncyCastle)
                        : Signature.getInstance("SHA256withECDSA", provider);
                verifier.initVerify(decoded);
                verifier.update(hash);
                if (!verifier.verify(signature)) {
                    throw new IllegalStateException("a valid signature did not verify");
                }
                nanos += System.nanoTime() - start;
            }
            System.out.printf("%-6s %.3f ms per verification%n", provider, nanos / 1e6 / keys);
        }
    }
}
