package io.portcullis.gateway.webhook;

import java.util.Objects;

/**
 * What a verifier needs from an inbound webhook request: the raw body bytes exactly as received (no
 * decoding, no re-serialisation), the headers, and the full public URL the vendor called (scheme,
 * host, optional port, path and raw query as sent; only Twilio signs it).
 *
 * <p>The body array is not copied; the caller must not mutate it during verification.
 */
public record WebhookRequest(byte[] body, WebhookHeaders headers, String url) {
    public WebhookRequest {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
        url = url == null ? "" : url;
    }

    public WebhookRequest(byte[] body, WebhookHeaders headers) {
        this(body, headers, "");
    }
}
