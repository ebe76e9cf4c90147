package io.portcullis.gateway.webhook;

import java.util.Base64;
import java.util.List;

/**
 * One vendor's signature convention. {@link #authenticate} checks syntax, the timestamp window and the
 * signature, and returns a {@link WebhookVerdict.Verified} carrying the replay key; it refuses by
 * throwing {@link Refusal} and throws nothing else for any input. Replay checking is done by
 * {@link WebhookVerifier}.
 */
sealed interface SignatureScheme
        permits StripeScheme, GitHubScheme, SlackScheme, ShopifyScheme, TwilioScheme, StandardWebhooksScheme {

    WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window);

    static SignatureScheme forKind(VendorKind kind) {
        return switch (kind) {
            case STRIPE -> new StripeScheme();
            case GITHUB -> new GitHubScheme();
            case SLACK -> new SlackScheme();
            case SHOPIFY -> new ShopifyScheme();
            case TWILIO -> new TwilioScheme();
            case STANDARD_WEBHOOKS -> new StandardWebhooksScheme();
        };
    }

    /**
     * Computes the HMAC of {@code parts} under each key and compares it in constant time with each
     * presented signature. Work is keys x (message + candidates): linear in the body.
     *
     * @return the matching signature, or throws SIGNATURE_MISMATCH
     */
    static byte[] requireHmacMatch(String algorithm, List<byte[]> keys, List<byte[]> presented, byte[]... parts) {
        if (keys.isEmpty()) {
            throw new Refusal(RejectReason.KEYS_UNAVAILABLE, "no usable secret is configured for this scheme");
        }
        for (byte[] key : keys) {
            byte[] expected = Hmac.compute(algorithm, key, parts);
            for (byte[] candidate : presented) {
                if (Hmac.same(expected, candidate)) {
                    return candidate;
                }
            }
        }
        throw new Refusal(RejectReason.SIGNATURE_MISMATCH, presented.size() == 1
                ? "signature does not match the body under any configured secret"
                : "none of the " + presented.size() + " signatures matches the body under any configured secret");
    }

    /** Replay key derived from a verified signature: equal exactly when the signed content is equal. */
    static String signatureKey(byte[] signature) {
        return "sig:" + Base64.getEncoder().withoutPadding().encodeToString(signature);
    }
}
