package io.portcullis.gateway.webhook;

import java.util.List;
import java.util.Optional;

/**
 * GitHub: {@code X-Hub-Signature-256: sha256=<64 hex>}, HMAC-SHA256 of the raw body with the webhook
 * secret. GitHub signs no timestamp; {@code X-GitHub-Delivery} is reported but not signed.
 */
final class GitHubScheme implements SignatureScheme {
    static final String HEADER = "X-Hub-Signature-256";

    @Override
    public WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window) {
        if (!HeaderSyntax.present(request.headers(), HEADER) && HeaderSyntax.present(request.headers(), "X-Hub-Signature")) {
            throw new Refusal(RejectReason.UNSUPPORTED_SIGNATURE_VERSION,
                    "only the SHA-1 X-Hub-Signature header is present; " + HEADER + " (SHA-256) is required");
        }
        String value = HeaderSyntax.required(request.headers(), HEADER);
        if (!value.regionMatches(true, 0, "sha256=", 0, 7)) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, HEADER + " must be sha256=<hex>");
        }
        byte[] presented = HeaderSyntax.hex(value.substring(7), 32, HEADER + " digest");
        byte[] match = SignatureScheme.requireHmacMatch(Hmac.SHA256, keys.hmacKeys(), List.of(presented), request.body());
        return new WebhookVerdict.Verified(HeaderSyntax.informationalId(request.headers(), "X-GitHub-Delivery"),
                Optional.empty(), SignatureScheme.signatureKey(match));
    }
}
