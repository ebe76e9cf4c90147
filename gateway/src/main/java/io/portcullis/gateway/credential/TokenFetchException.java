package io.portcullis.gateway.credential;

/**
 * A token request failed; the message names the endpoint and the status or OAuth error code, never a secret.
 * {@link #retryAfterMillis()} carries the server's {@code Retry-After} (429/503), or 0.
 */
public final class TokenFetchException extends RuntimeException {
    private final long retryAfterMillis;

    public TokenFetchException(String message) {
        this(message, 0);
    }

    public TokenFetchException(String message, long retryAfterMillis) {
        super(message, null, false, false);
        this.retryAfterMillis = retryAfterMillis;
    }

    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
