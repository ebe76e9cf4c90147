package io.portcullis.gateway.webhook;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC over a message given in parts (so {@code t.body} is never copied into a new array). */
final class Hmac {
    static final String SHA256 = "HmacSHA256";
    static final String SHA1 = "HmacSHA1";

    private Hmac() {}

    static byte[] compute(String algorithm, byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key, algorithm));
            for (byte[] part : parts) {
                mac.update(part);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            // HmacSHA256 and HmacSHA1 are mandatory in every JDK; keys are checked non-empty up front.
            throw new IllegalStateException("HMAC unavailable: " + e.getClass().getSimpleName(), e);
        }
    }

    /** Constant-time comparison of equal-length values (MessageDigest.isEqual). */
    static boolean same(byte[] expected, byte[] presented) {
        return MessageDigest.isEqual(expected, presented);
    }
}
