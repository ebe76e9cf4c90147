package io.portcullis.gateway.credential;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.RSAKey;
import io.portcullis.core.secret.SecretValue;
import java.io.ByteArrayInputStream;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses key material held as secrets: private keys (PEM — PKCS#8, PKCS#1, SEC1 — or JWK JSON) and PEM
 * certificate chains. Errors say what was wrong with the format, never the content.
 */
final class KeyMaterial {
    private KeyMaterial() {
    }

    /** A private JWK from PEM or JWK JSON; {@code what} names the reference for errors. */
    static JWK privateJwk(SecretValue v, String what) {
        String text = v.utf8().strip();
        JWK jwk;
        try {
            jwk = text.startsWith("{") ? JWK.parse(text) : JWK.parseFromPEMEncodedObjects(text);
        } catch (java.text.ParseException | JOSEException | RuntimeException e) {
            throw new IllegalArgumentException(what + " is not a PEM private key or a JWK");
        }
        if (!jwk.isPrivate()) throw new IllegalArgumentException(what + " holds a public key only; a private key is needed");
        if (!(jwk instanceof RSAKey) && !(jwk instanceof ECKey)) throw new IllegalArgumentException(what + ": only RSA and EC keys are supported");
        return jwk;
    }

    /** A private key from PEM (PKCS#8, PKCS#1 RSA, SEC1 EC) or JWK JSON, for TLS client identities. */
    static PrivateKey privateKey(SecretValue v, String what) {
        String text = v.utf8().strip();
        if (text.startsWith("{")) return privateKey(privateJwk(v, what));
        try (var parser = new org.bouncycastle.openssl.PEMParser(new java.io.StringReader(text))) {
            var conv = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof org.bouncycastle.asn1.pkcs.PrivateKeyInfo pki) return conv.getPrivateKey(pki);
                if (o instanceof org.bouncycastle.openssl.PEMKeyPair kp) return conv.getKeyPair(kp).getPrivate();
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException(what + " is not a PEM private key");
        }
        throw new IllegalArgumentException(what + " holds no private key (encrypted keys are not supported; store the key unencrypted in the secret store)");
    }

    static PrivateKey privateKey(JWK jwk) {
        try {
            return jwk instanceof RSAKey r ? r.toPrivateKey() : ((ECKey) jwk).toPrivateKey();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("private key cannot be used (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** The JWS algorithm: the configured one, else RS256 for RSA and ES256/384/512 by curve for EC. */
    static JWSAlgorithm algorithm(JWK jwk, String configured) {
        if (configured != null) {
            JWSAlgorithm a = JWSAlgorithm.parse(configured);
            boolean ok = jwk.getKeyType() == KeyType.RSA ? JWSAlgorithm.Family.RSA.contains(a) : JWSAlgorithm.Family.EC.contains(a);
            if (!ok) throw new IllegalArgumentException("algorithm " + configured + " does not match the " + jwk.getKeyType() + " key");
            return a;
        }
        if (jwk instanceof ECKey ec) {
            Curve c = ec.getCurve();
            if (Curve.P_384.equals(c)) return JWSAlgorithm.ES384;
            if (Curve.P_521.equals(c)) return JWSAlgorithm.ES512;
            return JWSAlgorithm.ES256;
        }
        return JWSAlgorithm.RS256;
    }

    static List<X509Certificate> certificates(SecretValue pem, String what) {
        try {
            var cf = CertificateFactory.getInstance("X.509");
            var out = new ArrayList<X509Certificate>();
            for (var c : cf.generateCertificates(new ByteArrayInputStream(pem.bytes()))) out.add((X509Certificate) c);
            if (out.isEmpty()) throw new IllegalArgumentException(what + " holds no certificate");
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException(what + " is not a PEM certificate chain");
        }
    }

    /** An in-memory key store with one entry (alias {@code client}) holding the key and its chain. */
    static KeyStore keyStore(PrivateKey key, List<X509Certificate> chain, char[] password) {
        try {
            var ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, password, chain.toArray(new X509Certificate[0]));
            return ks;
        } catch (Exception e) {
            throw new IllegalArgumentException("client certificate and key do not form a usable pair (" + e.getClass().getSimpleName() + ")");
        }
    }
}
