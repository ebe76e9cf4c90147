package io.portcullis.control.store;

/** A store operation failed; the message names the store (without credentials) and what was attempted. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
