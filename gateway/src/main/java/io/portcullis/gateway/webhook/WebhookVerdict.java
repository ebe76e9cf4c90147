package io.portcullis.gateway.webhook;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** The outcome of verifying one webhook request: {@link Verified} or {@link Rejected}. */
public sealed interface WebhookVerdict {

    /**
     * The request is authentic, inside its timestamp window and not a replay.
     *
     * @param vendorEventId the vendor's event or delivery id when it sends one, for audit and
     *     idempotency: Standard Webhooks {@code webhook-id} (signed), Stripe's event {@code id} from the
     *     signed body, GitHub {@code X-GitHub-Delivery}, Shopify {@code X-Shopify-Webhook-Id} and Twilio
     *     {@code I-Twilio-Idempotency-Token} (these three are not covered by the signature). Only
     *     printable ASCII up to 200 characters is reported; anything else is omitted.
     * @param timestamp the signed timestamp (Stripe, Slack, Standard Webhooks); empty for schemes
     *     without one
     * @param replayKey the key recorded in the replay store; pass the verdict to
     *     {@link WebhookVerifier#release(Verified)} if the delivery could not be forwarded, so the
     *     vendor's retry is accepted
     */
    record Verified(Optional<String> vendorEventId, Optional<Instant> timestamp, String replayKey)
            implements WebhookVerdict {
        public Verified {
            Objects.requireNonNull(vendorEventId, "vendorEventId");
            Objects.requireNonNull(timestamp, "timestamp");
            Objects.requireNonNull(replayKey, "replayKey");
        }

        @Override
        public String toString() {
            return "Verified[event=" + vendorEventId.orElse("-") + ", timestamp=" + timestamp.map(Instant::toString).orElse("-") + "]";
        }
    }

    /**
     * The request is refused.
     *
     * @param reason the machine-readable reason
     * @param message a sentence safe to show to the sender and to log: it never contains a secret, an
     *     expected signature, or more than a short masked preview of what was received
     */
    record Rejected(RejectReason reason, String message) implements WebhookVerdict {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }

    default boolean isVerified() {
        return this instanceof Verified;
    }
}
