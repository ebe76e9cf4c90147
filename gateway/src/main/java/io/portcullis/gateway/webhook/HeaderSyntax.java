package io.portcullis.gateway.webhook;

import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Strict, allocation-light parsing of the pieces vendor signature headers are made of. Every method
 * runs in time linear in its input and signals bad input with a {@link Refusal}, never another
 * exception.
 */
final class HeaderSyntax {

    /** Longest signature-bearing header accepted (Stripe with several v1 entries is well under 1 KiB). */
    static final int MAX_HEADER_CHARS = 8192;
    /** Most signature entries considered in one header (rotation sends two or three). */
    static final int MAX_SIGNATURES = 16;
    /** Longest event id reported or used as a replay key. */
    static final int MAX_ID_CHARS = 200;

    private HeaderSyntax() {}

    /** The single value of a required header. */
    static String required(WebhookHeaders headers, String name) {
        List<String> values = headers.all(name);
        if (values == null || values.isEmpty()) {
            throw new Refusal(RejectReason.MISSING_HEADER, name + " header is missing");
        }
        if (values.size() > 1) {
            throw new Refusal(RejectReason.DUPLICATE_HEADER, name + " header is present " + values.size() + " times; exactly one is expected");
        }
        String v = values.get(0);
        if (v == null || v.isBlank()) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, name + " header is empty");
        }
        if (v.length() > MAX_HEADER_CHARS) {
            throw new Refusal(RejectReason.HEADER_TOO_LARGE, name + " header is " + v.length() + " characters; at most " + MAX_HEADER_CHARS + " are accepted");
        }
        return v.strip();
    }

    /** True if the header is present at all. */
    static boolean present(WebhookHeaders headers, String name) {
        List<String> values = headers.all(name);
        return values != null && !values.isEmpty();
    }

    /**
     * An informational id from an (optionally unsigned) header, reported only if it is a single value
     * of printable ASCII no longer than {@link #MAX_ID_CHARS}.
     */
    static Optional<String> informationalId(WebhookHeaders headers, String name) {
        List<String> values = headers.all(name);
        if (values == null || values.size() != 1 || values.get(0) == null) {
            return Optional.empty();
        }
        String v = values.get(0).strip();
        return isPrintableId(v) ? Optional.of(v) : Optional.empty();
    }

    static boolean isPrintableId(String v) {
        if (v.isEmpty() || v.length() > MAX_ID_CHARS) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /** Unix seconds: 1 to 12 ASCII digits, nothing else (no sign, no fraction, no spaces). */
    static long unixSeconds(String value, String what) {
        if (value.isEmpty() || value.length() > 12) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, what + " must be 1 to 12 digits of Unix seconds");
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                throw new Refusal(RejectReason.MALFORMED_HEADER, what + " must contain only digits (Unix seconds), found " + describe(c));
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** Lowercase or uppercase hex of exactly {@code bytes} bytes. */
    static byte[] hex(String value, int bytes, String what) {
        if (value.length() != bytes * 2) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, what + " must be " + (bytes * 2) + " hex digits, found " + value.length() + " characters");
        }
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            int hi = Character.digit(value.charAt(2 * i), 16);
            int lo = Character.digit(value.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0 || value.charAt(2 * i) > 0x7f || value.charAt(2 * i + 1) > 0x7f) {
                throw new Refusal(RejectReason.MALFORMED_HEADER, what + " is not hexadecimal");
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /** Hex of exactly {@code bytes} bytes, or null. */
    static byte[] hexOrNull(String value, int bytes) {
        try {
            return hex(value, bytes, "value");
        } catch (Refusal r) {
            return null;
        }
    }

    /** Standard base64 (RFC 4648 section 4, padding optional) of exactly {@code bytes} bytes. */
    static byte[] base64(String value, int bytes, String what) {
        byte[] out = base64OrNull(value);
        if (out == null) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, what + " is not valid base64");
        }
        if (out.length != bytes) {
            throw new Refusal(RejectReason.MALFORMED_HEADER, what + " decodes to " + out.length + " bytes; " + bytes + " expected");
        }
        return out;
    }

    /** Decodes standard base64, or returns null if {@code value} is not base64. */
    static byte[] base64OrNull(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
            if (!ok) {
                return null;
            }
        }
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String describe(char c) {
        return (c >= 0x21 && c <= 0x7e) ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
