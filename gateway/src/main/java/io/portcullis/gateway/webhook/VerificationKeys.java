package io.portcullis.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The secrets of one webhook turned into usable key material for its {@link VendorKind}: HMAC keys
 * and, for Standard Webhooks {@code v1a}, ed25519 public keys. Problems are described by position
 * ("secret #2 ..."), never by content.
 */
record VerificationKeys(List<byte[]> hmacKeys, List<PublicKey> ed25519Keys, List<String> problems) {

    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    boolean isEmpty() {
        return hmacKeys.isEmpty() && ed25519Keys.isEmpty();
    }

    static VerificationKeys parse(VendorKind kind, List<byte[]> secrets) {
        List<byte[]> hmac = new ArrayList<>();
        List<PublicKey> ed = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int i = 0;
        for (byte[] secret : secrets) {
            i++;
            if (secret == null || secret.length == 0) {
                problems.add("secret #" + i + " is empty");
                continue;
            }
            if (kind != VendorKind.STANDARD_WEBHOOKS) {
                hmac.add(secret.clone());
                continue;
            }
            String text = new String(secret, StandardCharsets.UTF_8).strip();
            if (text.startsWith("whpk_")) {
                byte[] raw = HeaderSyntax.base64OrNull(text.substring(5));
                PublicKey key = raw == null || raw.length != 32 ? null : ed25519(raw);
                if (key == null) {
                    problems.add("secret #" + i + " (whpk_) is not base64 of a 32-byte ed25519 public key");
                } else {
                    ed.add(key);
                }
            } else if (text.startsWith("whsk_")) {
                problems.add("secret #" + i + " is a whsk_ private signing key; configure the matching whpk_ public key to verify");
            } else {
                // Standard Webhooks secrets are base64 after an optional whsec_ prefix (as in the reference libraries).
                String b64 = text.startsWith("whsec_") ? text.substring(6) : text;
                byte[] raw = HeaderSyntax.base64OrNull(b64);
                if (raw == null || raw.length == 0) {
                    problems.add("secret #" + i + " is not whsec_ followed by base64");
                } else {
                    hmac.add(raw);
                }
            }
        }
        return new VerificationKeys(List.copyOf(hmac), List.copyOf(ed), List.copyOf(problems));
    }

    private static PublicKey ed25519(byte[] raw) {
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            return null;
        }
    }
}
