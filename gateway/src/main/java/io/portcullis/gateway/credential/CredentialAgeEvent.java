package io.portcullis.gateway.credential;

import java.time.Duration;
import java.time.Instant;

/**
 * A credential is older than its configured {@code maxAge}. Carries the reference ({@code store:stripe/api-key}),
 * never the value.
 */
public record CredentialAgeEvent(String api, String reference, Instant createdAt, Duration age, Duration maxAge) {
}
