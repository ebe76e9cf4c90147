package io.portcullis.inspect.limits;

/**
 * Streaming UTF-8 well-formedness check (Unicode 15, Table 3-7): rejects overlong forms, encoded surrogates,
 * code points above U+10FFFF, stray continuation bytes and truncated sequences, across chunk boundaries.
 * Written by hand because Jackson's decoder accepts overlong forms and encoded surrogates. Constant memory.
 */
final class Utf8Validation {
    private int need;
    private int lo = 0x80;
    private int hi = 0xBF;
    private long offset;

    /** Returns the body offset of the first bad byte in this chunk, or -1 if the chunk is fine so far. */
    long accept(byte[] b, int off, int len) {
        final int end = off + len;
        final long base = offset - off; // body offset of b[i] is base + i
        int i = off;
        while (i < end) {
            if (need == 0) {
                while (i < end && b[i] >= 0) i++; // ASCII run
                if (i == end) break;
            }
            int c = b[i] & 0xff;
            if (need > 0) {
                if (c < lo || c > hi) return offset = base + i;
                lo = 0x80;
                hi = 0xBF;
                need--;
            } else if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c == 0xE0) {
                need = 2;
                lo = 0xA0;
            } else if (c == 0xED) {
                need = 2;
                hi = 0x9F;
            } else if (c >= 0xE1 && c <= 0xEF) {
                need = 2;
            } else if (c == 0xF0) {
                need = 3;
                lo = 0x90;
            } else if (c >= 0xF1 && c <= 0xF3) {
                need = 3;
            } else if (c == 0xF4) {
                need = 3;
                hi = 0x8F;
            } else {
                return offset = base + i;
            }
            i++;
        }
        offset = base + end;
        return -1;
    }

    /** True when the input so far ends on a character boundary. */
    boolean complete() {
        return need == 0;
    }
}
