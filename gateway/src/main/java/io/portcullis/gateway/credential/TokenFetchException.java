package io.portcullis.gateway.credential;

/** A token request failed; the message names the endpoint and the status or OAuth error code, never a secret. */
public final class TokenFetchException extends RuntimeException {
    public TokenFetchException(String message) {
        super(message, null, false, false);
    }
}
