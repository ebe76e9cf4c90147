package io.portcullis.gateway.upstream;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * Certificate pinning by SubjectPublicKeyInfo SHA-256, in OkHttp's {@code sha256/<base64>} notation.
 * A chain passes when any certificate in it (leaf, intermediate or root) has a pinned key; pinning the
 * key rather than the certificate survives re-issuance with the same key.
 */
public final class SpkiPins {
    private SpkiPins() {}

    /** The pin of one certificate's public key. */
    public static String pinOf(X509Certificate cert) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(cert.getPublicKey().getEncoded());
            return "sha256/" + Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The pins of every certificate in the chain, leaf first. */
    public static List<String> pinsOf(Certificate[] chain) {
        var out = new ArrayList<String>(chain.length);
        for (Certificate c : chain) {
            if (c instanceof X509Certificate x) out.add(pinOf(x));
        }
        return out;
    }

    /** True when no pins are configured, or any certificate of the chain matches one. */
    public static boolean matches(Set<String> pins, Certificate[] chain) {
        if (pins.isEmpty()) return true;
        for (String p : pinsOf(chain)) {
            if (pins.contains(p)) return true;
        }
        return false;
    }
}
