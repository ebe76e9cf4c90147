package io.portcullis.core.event;

import java.util.Objects;

/**
 * One policy's verdict on an exchange, kept so that every decision is visible in the audit log.
 *
 * @param policy  the policy's name, e.g. {@code "allowlist"}, {@code "rate-limit"}, {@code "dlp"}
 * @param outcome what it decided
 * @param reason  a short human-readable reason; must not contain secrets (sinks redact credential-looking text
 *                as defence in depth, but the producer is responsible). May be empty, never null.
 */
public record Decision(String policy, Outcome outcome, String reason) {

    /** What a policy did to the exchange. */
    public enum Outcome {
        /** Let it continue unchanged. */
        ALLOW,
        /** Ended the exchange with an error response. */
        DENY,
        /** Let it continue but changed it (redacted a field, injected a credential, …). */
        MODIFY,
        /** Let it continue and raised a flag (monitor / shadow mode). */
        FLAG
    }

    public Decision {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
    }

    public static Decision allow(String policy) {
        return new Decision(policy, Outcome.ALLOW, "");
    }

    public static Decision deny(String policy, String reason) {
        return new Decision(policy, Outcome.DENY, reason);
    }
}
