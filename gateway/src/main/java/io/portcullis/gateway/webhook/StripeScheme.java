package io.portcullis.gateway.webhook;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Stripe: {@code Stripe-Signature: t=<unix seconds>,v1=<64 hex>[,v1=...][,v0=...]}. Each {@code v1}
 * is HMAC-SHA256 with the endpoint secret (its {@code whsec_...} text used as is) over
 * {@code <t>.<raw body>}; during secret rotation Stripe sends one {@code v1} per active secret. Other
 * schemes ({@code v0}) are ignored. The event id is read from the signed body's top-level {@code id}.
 */
final class StripeScheme implements SignatureScheme {
    static final String HEADER = "Stripe-Signature";
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window) {
        String value = HeaderSyntax.required(request.headers(), HEADER);
        String t = null;
        List<byte[]> v1 = new ArrayList<>();
        boolean otherSchemes = false;
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            String item = value.substring(start, end).strip();
            start = end + 1;
            if (item.isEmpty()) {
                continue;
            }
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw new Refusal(RejectReason.MALFORMED_HEADER, HEADER + " element is not key=value");
            }
            String key = item.substring(0, eq);
            String val = item.substring(eq + 1);
            switch (key) {
                case "t" -> {
                    if (t != null) {
                        throw new Refusal(RejectReason.MALFORMED_HEADER, HEADER + " has more than one t= timestamp");
                    }
                    t = val;
                }
                case "v1" -> {
                    if (v1.size() == HeaderSyntax.MAX_SIGNATURES) {
                        throw new Refusal(RejectReason.MALFORMED_HEADER, HEADER + " has more than " + HeaderSyntax.MAX_SIGNATURES + " v1 signatures");
                    }
                    v1.add(HeaderSyntax.hex(val, 32, HEADER + " v1 signature"));
                }
                default -> otherSchemes = true;
            }
        }
        if (t == null) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, HEADER + " has no t= timestamp");
        }
        if (v1.isEmpty()) {
            throw otherSchemes
                    ? new Refusal(RejectReason.UNSUPPORTED_SIGNATURE_VERSION, HEADER + " has no v1 signature (only other schemes)")
                    : new Refusal(RejectReason.MALFORMED_HEADER, HEADER + " has no v1 signature");
        }
        Instant instant = window.check(HeaderSyntax.unixSeconds(t, HEADER + " t"));
        byte[] prefix = (t + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] match = SignatureScheme.requireHmacMatch(Hmac.SHA256, keys.hmacKeys(), v1, prefix, request.body());
        return new WebhookVerdict.Verified(eventId(request.body()), Optional.of(instant), SignatureScheme.signatureKey(match));
    }

    /** The top-level {@code "id"} string of a JSON object body, if any; linear, never throws. */
    static Optional<String> eventId(byte[] body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if ("id".equals(name) && v == JsonToken.VALUE_STRING) {
                    String id = p.getText();
                    return HeaderSyntax.isPrintableId(id) ? Optional.of(id) : Optional.empty();
                }
                p.skipChildren();
            }
            return Optional.empty();
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
