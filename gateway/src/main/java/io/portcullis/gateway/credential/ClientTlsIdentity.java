package io.portcullis.gateway.credential;

import io.portcullis.core.secret.SecretValue;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509KeyManager;

/**
 * The client certificate an API's calls present for RFC 8705 mutual TLS. The token request and every
 * upstream call must use the same one, so that a certificate-bound token ({@code cnf.x5t#S256}) matches:
 * the broker uses {@link #sslContext} for the token endpoint and the upstream uses {@link #keyManager}
 * (Netty: {@code SslContextBuilder.forClient().keyManager(identity.keyManager())}).
 * {@link #toString()} shows the certificate subject and thumbprint, never the key.
 */
public final class ClientTlsIdentity {
    private final X509KeyManager keyManager;
    private final List<X509Certificate> chain;
    private final String thumbprint;

    private ClientTlsIdentity(X509KeyManager keyManager, List<X509Certificate> chain, String thumbprint) {
        this.keyManager = keyManager;
        this.chain = chain;
        this.thumbprint = thumbprint;
    }

    static ClientTlsIdentity of(SecretValue certificatePem, SecretValue keyPem, String what) {
        var chain = KeyMaterial.certificates(certificatePem, what + " certificate");
        var key = KeyMaterial.privateKey(keyPem, what + " private key");
        char[] pw = new char[0];
        KeyStore ks = KeyMaterial.keyStore(key, chain, pw);
        try {
            var kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pw);
            X509KeyManager km = null;
            for (var m : kmf.getKeyManagers()) if (m instanceof X509KeyManager x) km = x;
            return new ClientTlsIdentity(km, List.copyOf(chain), x5tS256(chain.get(0)));
        } catch (Exception e) {
            throw new IllegalArgumentException(what + ": client key manager cannot be built (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** RFC 8705 §3.1 {@code x5t#S256}: base64url SHA-256 of the DER certificate. */
    static String x5tS256(X509Certificate c) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    public X509KeyManager keyManager() {
        return keyManager;
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The {@code x5t#S256} a bound token's {@code cnf} must carry. */
    public String thumbprint() {
        return thumbprint;
    }

    /** A TLS context presenting this certificate, trusting {@code trust} (null: the JDK defaults). */
    public SSLContext sslContext(TrustManager[] trust) {
        try {
            var ctx = SSLContext.getInstance("TLS");
            ctx.init(new javax.net.ssl.KeyManager[] {keyManager}, trust, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("TLS context cannot be built (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public String toString() {
        return "ClientTlsIdentity[" + certificate().getSubjectX500Principal().getName() + ", x5t#S256=" + thumbprint + "]";
    }
}
