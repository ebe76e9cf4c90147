package io.portcullis.inspect.threats;

import java.io.CharConversionException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Passes bytes through while checking they are well-formed UTF-8 (RFC 3629): no overlong forms (so {@code C0 AF}
 * cannot smuggle a {@code /}), no surrogates, nothing above U+10FFFF, no truncated sequence at the end. Jackson's
 * decoder is lenient about overlong forms; a security gateway must not be. State carries across reads, so sequences
 * split between buffers are handled. One pass, constant memory.
 */
final class Utf8ValidatingStream extends FilterInputStream {
    private int need;      // continuation bytes still expected
    private int lower = 0x80, upper = 0xBF; // allowed range of the next continuation byte

    Utf8ValidatingStream(InputStream in) {
        super(in);
    }

    /** Validates a chunk of a longer input (state carries to the next call). */
    void accept(byte[] buf, int off, int len) throws CharConversionException {
        int i = off, end = off + len;
        while (i < end) {
            if (need == 0) {
                while (i < end && buf[i] >= 0) i++;
                if (i == end) break;
            }
            check(buf[i] & 0xff);
            i++;
        }
    }

    /** Call at end of input: a sequence cut off at the end is invalid. */
    void end() throws CharConversionException {
        if (need > 0) throw new CharConversionException("truncated UTF-8 sequence");
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b < 0) {
            if (need > 0) throw new CharConversionException("truncated UTF-8 sequence");
            return b;
        }
        check(b);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n < 0) {
            if (need > 0) throw new CharConversionException("truncated UTF-8 sequence");
            return n;
        }
        int i = off, end = off + n;
        while (i < end) {
            if (need == 0) { // ASCII fast path
                while (i < end && buf[i] >= 0) i++;
                if (i == end) break;
            }
            check(buf[i] & 0xff);
            i++;
        }
        return n;
    }

    /** True when the whole array is well-formed UTF-8 (same rules as the stream). */
    static boolean isValid(byte[] b) {
        int i = 0, n = b.length;
        while (i < n) {
            int c = b[i];
            if (c >= 0) {
                i++;
                continue;
            }
            c &= 0xff;
            int need, lo = 0x80, hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) need = 1;
            else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) lo = 0xA0;
                else if (c == 0xED) hi = 0x9F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) lo = 0x90;
                else if (c == 0xF4) hi = 0x8F;
            } else return false;
            if (i + need >= n + 0 && i + need > n - 1 + 1) return false;
            for (int k = 1; k <= need; k++) {
                if (i + k >= n) return false;
                int d = b[i + k] & 0xff;
                if (d < lo || d > hi) return false;
                lo = 0x80;
                hi = 0xBF;
            }
            i += need + 1;
        }
        return true;
    }

    private void check(int b) throws CharConversionException {
        if (need > 0) {
            if (b < lower || b > upper) throw new CharConversionException("invalid UTF-8 continuation");
            lower = 0x80;
            upper = 0xBF;
            need--;
            return;
        }
        if (b < 0x80) return;
        if (b >= 0xC2 && b <= 0xDF) {
            need = 1;
        } else if (b >= 0xE0 && b <= 0xEF) {
            need = 2;
            if (b == 0xE0) lower = 0xA0;        // overlong
            else if (b == 0xED) upper = 0x9F;   // surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            need = 3;
            if (b == 0xF0) lower = 0x90;        // overlong
            else if (b == 0xF4) upper = 0x8F;   // > U+10FFFF
        } else {
            throw new CharConversionException("invalid UTF-8 lead byte");
        }
    }
}
