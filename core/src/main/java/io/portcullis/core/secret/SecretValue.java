package io.portcullis.core.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Secret bytes (an API key, a client secret, a private key, a token) in a wrapper that cannot leak by accident.
 *
 * <p>Guarantees: {@link #toString()} never shows the value, only its length; {@link #equals} compares in
 * constant time. The value leaves only through {@link #bytes()} (a copy) or {@link #utf8()}, which callers use
 * at the last moment, to put it on the wire.
 */
public final class SecretValue {
    private final byte[] value;

    private SecretValue(byte[] value) {
        this.value = value;
    }

    public static SecretValue of(byte[] value) {
        return new SecretValue(value.clone());
    }

    public static SecretValue ofUtf8(String value) {
        return new SecretValue(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A copy of the secret bytes. */
    public byte[] bytes() {
        return value.clone();
    }

    /** The secret as UTF-8 text. */
    public String utf8() {
        return new String(value, StandardCharsets.UTF_8);
    }

    public int length() {
        return value.length;
    }

    /** The value with one trailing newline (as written by {@code echo} or an editor) removed. */
    public SecretValue trimTrailingNewline() {
        int n = value.length;
        if (n > 0 && value[n - 1] == '\n') n--;
        if (n > 0 && value[n - 1] == '\r') n--;
        return n == value.length ? this : new SecretValue(Arrays.copyOf(value, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SecretValue s && MessageDigest.isEqual(value, s.value);
    }

    @Override
    public int hashCode() {
        return value.length; // deliberately weak: a hash of the bytes would be an oracle
    }

    @Override
    public String toString() {
        return "SecretValue[redacted, " + value.length + " bytes]";
    }
}
