package io.portcullis.core.secret;

/** The secret store could not be read or written. Messages name files and entries, never values. */
public final class SecretStoreException extends RuntimeException {
    public SecretStoreException(String message) {
        super(message);
    }
}
