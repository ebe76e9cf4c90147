package io.portcullis.core.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Whether a resolved webhook secret has the form its signature scheme needs, checked when the configuration
 * loads so a wrong value is a configuration error rather than every delivery being refused with 401.
 *
 * <ul>
 *   <li>every scheme: no leading or trailing whitespace and no control characters (a copy-paste or CRLF slip:
 *       the HMAC would silently use the extra bytes);</li>
 *   <li>{@code stripe}: Stripe's endpoint signing secrets start with {@code whsec_}; a Stripe API key
 *       ({@code sk_}, {@code rk_}, {@code pk_}) is named as such;</li>
 *   <li>{@code standard-webhooks}: {@code whsec_} followed by base64 of 24 to 64 bytes (the specification's
 *       range; the prefix may be omitted as in the reference libraries) for {@code v1}, or {@code whpk_} followed by
 *       base64 of a 32-byte ed25519 public key for {@code v1a}; a {@code whsk_} private signing key is refused.</li>
 * </ul>
 * The problem text never contains the value, only what is wrong with it.
 */
public final class WebhookSecretForm {
    private WebhookSecretForm() {
    }

    /** What is wrong and what to write instead. */
    public record Problem(String message, String fix) {
    }

    /** DER prefix of an X.509 SubjectPublicKeyInfo for a raw 32-byte ed25519 key (RFC 8410). */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** Smallest and largest decoded Standard Webhooks HMAC secret (bytes), per the specification. */
    public static final int STANDARD_MIN_BYTES = 24, STANDARD_MAX_BYTES = 64;

    /**
     * @param kind  the webhook kind as written in configuration ({@link WebhookRouteConfig#KINDS})
     * @param value the resolved secret
     * @return the problem, or empty when the value is usable
     */
    public static Optional<Problem> check(String kind, byte[] value) {
        if (value == null || value.length == 0) return Optional.of(new Problem("the secret is empty", "put the signing secret the vendor shows into it"));
        for (int i = 0; i < value.length; i++) {
            int b = value[i] & 0xff;
            boolean edge = i == 0 || i == value.length - 1;
            if (b < 0x20 && !(b == '\t' || b == ' ') || b == 0x7f) {
                return Optional.of(new Problem("the secret contains a control character (byte " + (i + 1) + " of " + value.length + ", e.g. a CR from a Windows line end)",
                        "store exactly the characters the vendor shows, without line ends"));
            }
            if (edge && (b == ' ' || b == '\t')) {
                return Optional.of(new Problem("the secret has leading or trailing whitespace", "store exactly the characters the vendor shows, without surrounding spaces"));
            }
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return switch (kind) {
            case "stripe" -> stripe(text);
            case "standard-webhooks" -> standard(text);
            default -> Optional.empty();
        };
    }

    private static Optional<Problem> stripe(String text) {
        if (text.startsWith("whsec_") && text.length() > 6) return Optional.empty();
        if (text.startsWith("sk_") || text.startsWith("rk_") || text.startsWith("pk_")) {
            return Optional.of(new Problem("the secret is a Stripe API key, not a webhook signing secret",
                    "use the endpoint's signing secret (whsec_..., Dashboard > Developers > Webhooks > the endpoint > Signing secret)"));
        }
        return Optional.of(new Problem("a Stripe webhook signing secret starts with whsec_",
                "use the endpoint's signing secret (whsec_..., Dashboard > Developers > Webhooks > the endpoint > Signing secret)"));
    }

    private static Optional<Problem> standard(String text) {
        if (text.startsWith("whsk_")) {
            return Optional.of(new Problem("the secret is a whsk_ private signing key; a receiver verifies with the public key",
                    "configure the matching whpk_ public key (v1a), or the whsec_ secret (v1)"));
        }
        if (text.startsWith("whpk_")) {
            byte[] raw = base64(text.substring(5));
            if (raw == null || raw.length != 32 || !isEd25519(raw)) {
                return Optional.of(new Problem("the whpk_ key is not base64 of a 32-byte ed25519 public key",
                        "copy the sender's whpk_ public key exactly as published"));
            }
            return Optional.empty();
        }
        byte[] raw = base64(text.startsWith("whsec_") ? text.substring(6) : text);
        if (raw == null) {
            return Optional.of(new Problem("a Standard Webhooks secret is whsec_ followed by base64 (or whpk_ and an ed25519 public key)",
                    "copy the whsec_... secret exactly as the sender shows it"));
        }
        if (raw.length < STANDARD_MIN_BYTES || raw.length > STANDARD_MAX_BYTES) {
            return Optional.of(new Problem("the whsec_ secret decodes to " + raw.length + " bytes; Standard Webhooks secrets are "
                    + STANDARD_MIN_BYTES + " to " + STANDARD_MAX_BYTES + " bytes",
                    "copy the whole whsec_... secret, or generate one from " + STANDARD_MIN_BYTES + "+ random bytes"));
        }
        return Optional.empty();
    }

    /** Standard base64 (padding optional), or null. */
    static byte[] base64(String s) {
        if (s.isEmpty()) return null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=')) return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isEd25519(byte[] raw) {
        byte[] der = new byte[ED25519_SPKI_PREFIX.length + raw.length];
        System.arraycopy(ED25519_SPKI_PREFIX, 0, der, 0, ED25519_SPKI_PREFIX.length);
        System.arraycopy(raw, 0, der, ED25519_SPKI_PREFIX.length, raw.length);
        try {
            KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}
