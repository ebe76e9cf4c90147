package io.portcullis.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hash chain that links audit records.
 *
 * <h2>Record layout</h2>
 * Every audit line is one JSON object whose <em>last</em> member is {@code "portcullis"} and whose last member in
 * turn is {@code "chain"}, written exactly as
 * <pre>{@code ..."chain":{"alg":"sha256","seq":42,"prev":"<64 hex>","hash":"<64 hex>"}}}}</pre>
 * The <b>canonical bytes</b> of a record are the line's UTF-8 bytes with the {@code ,"hash":"<64 hex>"} member
 * removed (and no trailing newline); they include {@code seq} and {@code prev}. Then
 * {@code hash = hex(SHA-256(canonical))}, or {@code hex(HMAC-SHA256(key, canonical))} when
 * {@code alg = "hmac-sha256"}. {@code prev} is the previous record's {@code hash} ({@link #GENESIS}, 64 zeros,
 * for the first record ever); {@code seq} starts at 1 and increases by one per record, across file rotation.
 * Working on bytes rather than re-serialised JSON means verification does not depend on any JSON library's
 * formatting choices.
 *
 * <p>Not thread-safe: one instance per writer (the audit sink's consumer thread) or per verification.
 */
public final class AuditChain {

    /** {@code prev} of the very first record. */
    public static final String GENESIS = "0".repeat(64);
    public static final String ALG_SHA256 = "sha256";
    public static final String ALG_HMAC = "hmac-sha256";

    /** Matches the chain suffix at the end of a line (without newline). */
    static final Pattern SUFFIX = Pattern.compile(
            "\"chain\":\\{\"alg\":\"(sha256|hmac-sha256)\",\"seq\":(\\d{1,18}),\"prev\":\"([0-9a-f]{64})\","
                    + "\"hash\":\"([0-9a-f]{64})\"\\}\\}\\}$");
    static final int HASH_MEMBER_LENGTH = ",\"hash\":\"\"".length() + 64;
    private static final byte[] CLOSE = "}}}".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest sha;
    private final Mac mac;

    /** A chain using plain SHA-256 ({@code key == null}) or HMAC-SHA256 with {@code key}. */
    public AuditChain(byte[] key) {
        try {
            if (key == null) {
                this.sha = MessageDigest.getInstance("SHA-256");
                this.mac = null;
            } else {
                this.sha = null;
                this.mac = Mac.getInstance("HmacSHA256");
                this.mac.init(new SecretKeySpec(key, "HmacSHA256"));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256/HMAC-SHA256 unavailable in this JVM", e);
        }
    }

    public String alg() {
        return mac == null ? ALG_SHA256 : ALG_HMAC;
    }

    /**
     * Hash of a record whose canonical bytes are {@code prefix[0..len)} followed by {@code "}}}"}: the prefix is
     * everything up to and including the {@code prev} value's closing quote.
     */
    String hashOfPrefix(byte[] prefix, int len) {
        byte[] out;
        if (mac != null) {
            mac.update(prefix, 0, len);
            mac.update(CLOSE);
            out = mac.doFinal();
        } else {
            sha.update(prefix, 0, len);
            sha.update(CLOSE);
            out = sha.digest();
        }
        return HexFormat.of().formatHex(out);
    }

    /** The chain fields parsed from a line's suffix. */
    record Link(String alg, long seq, String prev, String hash) {
    }

    /** Parses the chain suffix of a line, or null if the line does not end with a well-formed chain member. */
    static Link parse(String line) {
        int from = Math.max(0, line.length() - 260);
        Matcher m = SUFFIX.matcher(line);
        m.region(from, line.length());
        if (!m.find()) {
            return null;
        }
        return new Link(m.group(1), Long.parseLong(m.group(2)), m.group(3), m.group(4));
    }
}
