package io.portcullis.inspect.dlp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Bounded decoding of compressed bodies (gzip, deflate, br) before inspection. Output stops at
 * {@code maxBytes} and at {@code maxRatio} times the input size, so a decompression bomb costs at most
 * that much memory and time; the result says whether the whole body was decoded.
 */
final class BodyDecoder {
    private BodyDecoder() {}

    /** Decoded bytes, and why decoding stopped early (null when complete). */
    record Decoded(byte[] bytes, String incomplete) {}

    static Decoded decode(byte[] body, String contentEncoding, long maxBytes, int maxRatio) {
        if (contentEncoding == null || contentEncoding.isBlank()) return new Decoded(body, null);
        String enc = contentEncoding.trim().toLowerCase(Locale.ROOT);
        if (enc.equals("identity")) return new Decoded(body, null);
        long cap = Math.min(maxBytes, Math.max(1024L, (long) body.length * maxRatio));
        try (InputStream in = switch (enc) {
            case "gzip", "x-gzip" -> new GZIPInputStream(new ByteArrayInputStream(body), 8192);
            case "deflate" -> deflate(body);
            case "br" -> new org.brotli.dec.BrotliInputStream(new ByteArrayInputStream(body));
            default -> null;
        }) {
            if (in == null) return new Decoded(new byte[0], "content-encoding '" + abbreviate(enc) + "' is not supported");
            var out = new ByteArrayOutputStream((int) Math.min(cap, 64 * 1024));
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                int keep = (int) Math.min(n, cap - total);
                out.write(buf, 0, keep);
                total += keep;
                if (total >= cap) {
                    if (in.read() >= 0 || n > keep) {
                        return new Decoded(out.toByteArray(), total >= maxBytes
                                ? "decoded body exceeds " + maxBytes + " bytes"
                                : "compression ratio exceeds " + maxRatio + ":1");
                    }
                    break;
                }
            }
            return new Decoded(out.toByteArray(), null);
        } catch (IOException | RuntimeException e) {
            return new Decoded(new byte[0], "body is not valid " + enc);
        }
    }

    /** HTTP "deflate" is zlib-wrapped (RFC 9110 8.4.1.2); some senders use raw deflate, so both are accepted. */
    private static InputStream deflate(byte[] body) {
        boolean zlib = body.length >= 2 && (body[0] & 0x0f) == 8 && (((body[0] & 0xff) << 8) | (body[1] & 0xff)) % 31 == 0;
        return new InflaterInputStream(new ByteArrayInputStream(body), new Inflater(!zlib), 8192);
    }

    private static String abbreviate(String s) {
        return s.length() <= 24 ? s : s.substring(0, 21) + "...";
    }
}
