package io.portcullis.core.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The 256-bit key that encrypts the {@link SecretStore}. Read from {@value #ENV} (base64) or from the file
 * named by {@value #ENV_FILE} (base64 text or 32 raw bytes; must not be readable by group or others).
 * {@link #toString()} is redacted; {@link #keyId()} is a one-way identifier safe to store beside the data.
 */
public final class MasterKey {
    public static final String ENV = "PORTCULLIS_MASTER_KEY";
    public static final String ENV_FILE = "PORTCULLIS_MASTER_KEY_FILE";
    public static final int BYTES = 32;

    private final byte[] key;

    private MasterKey(byte[] key) {
        if (key.length != BYTES) throw new SecretStoreException("a master key must be exactly 32 bytes (256 bits), got " + key.length);
        this.key = key;
    }

    public static MasterKey of(byte[] key) {
        return new MasterKey(key.clone());
    }

    public static MasterKey generate() {
        var k = new byte[BYTES];
        new SecureRandom().nextBytes(k);
        return new MasterKey(k);
    }

    /** Base64 text of the key, for writing a new key file ({@code secrets keygen}). */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(key);
    }

    /** Decodes base64 text; the error never repeats the text. */
    public static MasterKey fromBase64(String text, String source) {
        byte[] k;
        try {
            k = Base64.getDecoder().decode(text.strip());
        } catch (IllegalArgumentException e) {
            throw new SecretStoreException("the master key in " + source + " is not valid base64");
        }
        if (k.length != BYTES) throw new SecretStoreException("the master key in " + source + " must decode to 32 bytes, got " + k.length);
        return new MasterKey(k);
    }

    /** A key file: base64 text, or exactly 32 raw bytes. Refuses files readable by group or others. */
    public static MasterKey fromFile(Path file) {
        try {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
                if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)) {
                    throw new SecretStoreException("master key file " + file + " is readable by group or others; run 'chmod 600 " + file + "'");
                }
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            byte[] raw = Files.readAllBytes(file);
            if (raw.length == BYTES) return new MasterKey(raw);
            String text = new String(raw, StandardCharsets.US_ASCII);
            Arrays.fill(raw, (byte) 0);
            return fromBase64(text, "file " + file);
        } catch (IOException e) {
            throw new SecretStoreException("cannot read master key file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** From {@value #ENV} or else {@value #ENV_FILE}; a clear error naming both when neither is set. */
    public static MasterKey fromEnvironment(Map<String, String> env) {
        String inline = env.get(ENV);
        if (inline != null && !inline.isBlank()) return fromBase64(inline, "environment variable " + ENV);
        String file = env.get(ENV_FILE);
        if (file != null && !file.isBlank()) return fromFile(Path.of(file));
        throw new SecretStoreException("no master key: set " + ENV + " (base64 of 32 bytes) or " + ENV_FILE
                + " (path of a key file); create one with 'portcullis secrets keygen'");
    }

    /** First 8 bytes of HMAC-SHA256(key, "portcullis-store-key-id"): identifies the key without revealing it. */
    byte[] keyId() {
        try {
            var mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal("portcullis-store-key-id".getBytes(StandardCharsets.US_ASCII)), 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    SecretKeySpec aesKey() {
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
