package io.portcullis.core.secret;

/** A reference could not be resolved. The message names the reference and the reason, never a value. */
public final class SecretResolutionException extends RuntimeException {
    private final SecretRef ref;

    public SecretResolutionException(SecretRef ref, String reason) {
        super("secret " + ref.text() + " could not be resolved: " + reason);
        this.ref = ref;
    }

    public SecretRef ref() {
        return ref;
    }
}
