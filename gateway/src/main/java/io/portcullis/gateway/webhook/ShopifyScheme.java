package io.portcullis.gateway.webhook;

import java.util.List;
import java.util.Optional;

/**
 * Shopify: {@code X-Shopify-Hmac-Sha256: <base64>}, HMAC-SHA256 of the raw body with the app's client
 * secret. No signed timestamp; {@code X-Shopify-Webhook-Id} is reported but not signed.
 */
final class ShopifyScheme implements SignatureScheme {
    static final String HEADER = "X-Shopify-Hmac-Sha256";

    @Override
    public WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window) {
        String value = HeaderSyntax.required(request.headers(), HEADER);
        byte[] presented = HeaderSyntax.base64(value, 32, HEADER);
        byte[] match = SignatureScheme.requireHmacMatch(Hmac.SHA256, keys.hmacKeys(), List.of(presented), request.body());
        return new WebhookVerdict.Verified(HeaderSyntax.informationalId(request.headers(), "X-Shopify-Webhook-Id"),
                Optional.empty(), SignatureScheme.signatureKey(match));
    }
}
