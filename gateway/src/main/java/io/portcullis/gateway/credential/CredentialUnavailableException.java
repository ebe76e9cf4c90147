package io.portcullis.gateway.credential;

/**
 * No credential can be attached right now (token endpoint down or refusing, backoff in force). The gateway
 * answers 503 with {@code Retry-After: retryAfterSeconds}. The message names the API and the cause, never a
 * secret or token.
 */
public final class CredentialUnavailableException extends RuntimeException {
    private final String api;
    private final long retryAfterSeconds;

    public CredentialUnavailableException(String api, String reason, long retryAfterSeconds) {
        super("credential for API " + api + " is unavailable: " + reason, null, false, false);
        this.api = api;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String api() {
        return api;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
