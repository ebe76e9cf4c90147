package io.portcullis.inspect.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The byte-level checks of the structural scan ({@link Utf8Validation}, {@link TrailingCommaCheck}) report the same
 * offset however the body is chunked, and the same as a plain byte-at-a-time reference (their earlier form, before
 * the ASCII and in-string fast paths), over random mixes of JSON punctuation, ASCII, valid and invalid UTF-8.
 */
class ByteChecksChunkingTest {
    /** Byte-at-a-time UTF-8 check (Unicode Table 3-7): offset of the first bad byte, or -1; -2 when truncated at the end. */
    static long referenceUtf8(byte[] b) {
        int need = 0, lo = 0x80, hi = 0xBF;
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xff;
            if (need > 0) {
                if (c < lo || c > hi) return i;
                lo = 0x80;
                hi = 0xBF;
                need--;
                continue;
            }
            if (c < 0x80) continue;
            if (c >= 0xC2 && c <= 0xDF) need = 1;
            else if (c == 0xE0) { need = 2; lo = 0xA0; }
            else if (c == 0xED) { need = 2; hi = 0x9F; }
            else if (c >= 0xE1 && c <= 0xEF) need = 2;
            else if (c == 0xF0) { need = 3; lo = 0x90; }
            else if (c >= 0xF1 && c <= 0xF3) need = 3;
            else if (c == 0xF4) { need = 3; hi = 0x8F; }
            else return i;
        }
        return need == 0 ? -1 : -2;
    }

    /** Byte-at-a-time trailing comma/colon check. */
    static long referenceCommas(byte[] b) {
        boolean inString = false, escape = false;
        byte last = 0;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (inString) {
                if (escape) escape = false;
                else if (c == '\\') escape = true;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
            if (c == '"') inString = true;
            else if ((c == '}' || c == ']') && (last == ',' || last == ':')) return i;
            last = c;
        }
        return -1;
    }

    private static final byte[][] PIECES = {
            utf8("{\"a\":"), utf8("\",\""), utf8("]"), utf8("}"), utf8(","), utf8(":"), utf8("\\\""), utf8("\\\\"), utf8("\""),
            utf8("plain ascii "), utf8("é"), utf8("東京"), utf8("😀"), utf8(" \n\t"),
            {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}, {(byte) 0xFF}};

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sameOffsetsAsTheByteAtATimeReferenceInAnyChunking() {
        Random r = new Random(20261123);
        for (int n = 0; n < 20_000; n++) {
            var out = new java.io.ByteArrayOutputStream();
            int pieces = 1 + r.nextInt(12);
            for (int p = 0; p < pieces; p++) {
                byte[] piece = PIECES[r.nextInt(r.nextInt(4) == 0 ? PIECES.length : 14)];
                out.writeBytes(piece);
            }
            byte[] body = out.toByteArray();
            long wantUtf8 = referenceUtf8(body);
            long wantCommas = referenceCommas(body);
            var utf = new Utf8Validation();
            var commas = new TrailingCommaCheck();
            long gotUtf8 = -1, gotCommas = -1;
            int off = 0;
            while (off < body.length) {
                int len = Math.min(body.length - off, 1 + r.nextInt(6));
                if (gotUtf8 < 0) gotUtf8 = utf.accept(body, off, len);
                if (gotCommas < 0) gotCommas = commas.accept(body, off, len);
                off += len;
            }
            if (gotUtf8 < 0 && !utf.complete()) gotUtf8 = -2;
            assertEquals(wantUtf8, gotUtf8, () -> "UTF-8 offset in " + java.util.HexFormat.of().formatHex(body));
            assertEquals(wantCommas, gotCommas, () -> "comma offset in " + new String(body, StandardCharsets.ISO_8859_1));
        }
    }
}
