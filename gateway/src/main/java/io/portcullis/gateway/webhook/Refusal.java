package io.portcullis.gateway.webhook;

/**
 * Internal control flow: a scheme refuses a request by throwing this; {@link WebhookVerifier} turns it
 * into a {@link WebhookVerdict.Rejected}. It never escapes the package's public API and carries no
 * stack trace (cheap to throw on hostile traffic).
 */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final RejectReason reason;

    Refusal(RejectReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    WebhookVerdict.Rejected verdict() {
        return new WebhookVerdict.Rejected(reason, getMessage());
    }
}
