package io.portcullis.core.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reads the optional HMAC key for the audit chain from {@code PORTCULLIS_AUDIT_KEY}. Accepted forms:
 * {@code base64:<base64>}, {@code hex:<hex>}, or any other string used as its UTF-8 bytes. The key must be at least
 * 16 bytes. Error messages never include the key.
 */
public final class AuditChainKey {

    public static final String ENV = "PORTCULLIS_AUDIT_KEY";

    private AuditChainKey() {
    }

    /** The key from the environment, or null when the variable is unset or empty. */
    public static byte[] fromEnvironment() {
        return parse(System.getenv(ENV));
    }

    /**
     * Decodes a key value, or returns null for null/empty.
     *
     * @throws IllegalArgumentException if malformed or shorter than 16 bytes (message names the problem, not the key)
     */
    public static byte[] parse(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        byte[] key;
        try {
            if (value.startsWith("base64:")) {
                key = Base64.getDecoder().decode(value.substring(7).trim());
            } else if (value.startsWith("hex:")) {
                key = HexFormat.of().parseHex(value.substring(4).trim());
            } else {
                key = value.getBytes(StandardCharsets.UTF_8);
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(ENV + " is not valid " + (value.startsWith("hex:") ? "hex" : "base64"));
        }
        if (key.length < 16) {
            throw new IllegalArgumentException(ENV + " must be at least 16 bytes (got " + key.length + ")");
        }
        return key;
    }
}
