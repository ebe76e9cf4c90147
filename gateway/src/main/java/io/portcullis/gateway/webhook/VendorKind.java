package io.portcullis.gateway.webhook;

import java.time.Duration;

/**
 * The webhook signature schemes Portcullis verifies. Each constant names the vendor convention, not a
 * vendor account: any sender that follows the same convention (for example Svix and other
 * Standard Webhooks senders) uses the same kind.
 */
public enum VendorKind {
    /** {@code Stripe-Signature: t=..,v1=..}: HMAC-SHA256 over {@code t.body}, signed timestamp. */
    STRIPE(Duration.ofSeconds(300)),
    /** {@code X-Hub-Signature-256: sha256=hex}: HMAC-SHA256 over the body, no timestamp. */
    GITHUB(null),
    /** {@code X-Slack-Signature: v0=hex} over {@code v0:ts:body}, {@code X-Slack-Request-Timestamp}. */
    SLACK(Duration.ofMinutes(5)),
    /** {@code X-Shopify-Hmac-Sha256}: base64 HMAC-SHA256 over the body, no timestamp. */
    SHOPIFY(null),
    /**
     * {@code X-Twilio-Signature}: base64 HMAC-SHA1 over the full URL followed by the form parameters
     * sorted by name; for JSON bodies the URL carries {@code bodySHA256} and the body hash is checked.
     * No timestamp.
     */
    TWILIO(null),
    /**
     * Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}):
     * {@code v1} HMAC-SHA256 with a {@code whsec_} secret, {@code v1a} ed25519 with a {@code whpk_}
     * public key, over {@code id.timestamp.body}.
     */
    STANDARD_WEBHOOKS(Duration.ofMinutes(5));

    private final Duration defaultTolerance;

    VendorKind(Duration defaultTolerance) {
        this.defaultTolerance = defaultTolerance;
    }

    /** Whether this scheme signs a timestamp, so a timestamp window applies. */
    public boolean signsTimestamp() {
        return defaultTolerance != null;
    }

    /**
     * The vendor's documented tolerance for its signed timestamp (used for both past age and future
     * skew unless configured otherwise), or {@link Duration#ZERO} when the scheme has no timestamp.
     */
    public Duration defaultTolerance() {
        return defaultTolerance == null ? Duration.ZERO : defaultTolerance;
    }
}
