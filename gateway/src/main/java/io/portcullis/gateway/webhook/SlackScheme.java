package io.portcullis.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Slack: {@code X-Slack-Signature: v0=<64 hex>}, HMAC-SHA256 with the signing secret over
 * {@code v0:<X-Slack-Request-Timestamp>:<raw body>}; the timestamp must be inside the window
 * (Slack documents 5 minutes).
 */
final class SlackScheme implements SignatureScheme {
    static final String SIGNATURE = "X-Slack-Signature";
    static final String TIMESTAMP = "X-Slack-Request-Timestamp";

    @Override
    public WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window) {
        String ts = HeaderSyntax.required(request.headers(), TIMESTAMP);
        String sig = HeaderSyntax.required(request.headers(), SIGNATURE);
        long seconds = HeaderSyntax.unixSeconds(ts, TIMESTAMP);
        if (!sig.startsWith("v0=")) {
            if (sig.length() > 1 && sig.charAt(0) == 'v' && sig.indexOf('=') > 1) {
                throw new Refusal(RejectReason.UNSUPPORTED_SIGNATURE_VERSION, SIGNATURE + " uses a version other than v0");
            }
            throw new Refusal(RejectReason.MALFORMED_HEADER, SIGNATURE + " must be v0=<hex>");
        }
        byte[] presented = HeaderSyntax.hex(sig.substring(3), 32, SIGNATURE + " digest");
        var instant = window.check(seconds);
        byte[] prefix = ("v0:" + ts + ":").getBytes(StandardCharsets.US_ASCII);
        byte[] match = SignatureScheme.requireHmacMatch(Hmac.SHA256, keys.hmacKeys(), List.of(presented), prefix, request.body());
        return new WebhookVerdict.Verified(Optional.empty(), Optional.of(instant), SignatureScheme.signatureKey(match));
    }
}
