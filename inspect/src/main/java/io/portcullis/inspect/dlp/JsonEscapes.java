package io.portcullis.inspect.dlp;

import java.util.ArrayList;
import java.util.List;

/**
 * JSON strings that hide characters behind escapes ({@code "jo\\u0040corp.com"}, {@code "https:\/\/hooks..."}):
 * such a string is decoded and scanned again, and what is found maps back to the raw bytes of the escapes.
 *
 * <p>Only strings holding a {@code \\uXXXX} or {@code \\/} escape are decoded (the other escapes stand for
 * whitespace, quotes and backslashes, which hide nothing from the raw scan). The work starts at the first
 * backslash the candidate pass saw, so bodies without one cost nothing. Strings are found locally: in valid
 * JSON a backslash only occurs inside a string, which runs from the nearest unescaped quote before it to the
 * nearest unescaped quote after it, so this also works on a window of a stream. Each string is decoded once,
 * in chunks of at most {@link #CHUNK} bytes (overlapping by {@link #OVERLAP}), into per-thread buffers:
 * linear time, bounded memory. The decoded scan sees up to {@link #CONTEXT} raw bytes before the string
 * (the key name) so context rules still apply. In a decoded string the decoded findings replace the raw ones
 * (the raw bytes of a half-escaped value can only mislead); raw findings reaching outside the string are kept
 * and decoded findings overlapping them dropped, so nothing is reported twice.
 */
final class JsonEscapes {
    private JsonEscapes() {}

    static final int CHUNK = 16 * 1024, OVERLAP = 512, CONTEXT = 64;

    private static final class Buffers {
        final byte[] dec = new byte[CONTEXT + CHUNK + 1];
        /** Raw offset of the first byte, and one past the last byte, of the escape or byte each decoded byte came from. */
        final int[] rawStart = new int[dec.length], rawEnd = new int[dec.length];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** Scans a byte range of decoded text and appends findings (spans relative to that array). */
    @FunctionalInterface
    interface Scan {
        void scan(byte[] b, int from, int to, List<Finding> out);
    }

    /**
     * Scans the escaped strings of {@code b[from..to)} that contain backslashes in {@code [firstBs, lastBs]}, and
     * updates {@code out} (the raw findings): findings inside a decoded string are replaced by what its decoded form
     * holds (spans are raw offsets in {@code b}). Returns true when {@code out} changed (it is then sorted by start).
     */
    static boolean scan(byte[] b, int from, int to, int firstBs, int lastBs, List<Finding> out, Scan scanner) {
        var raw = new ArrayList<>(out);
        raw.sort(java.util.Comparator.comparingLong(Finding::start));
        var found = new ArrayList<Finding>();
        var decoded = new ArrayList<int[]>(); // [start, end) of each decoded string, ascending
        int searchFrom = from; // strings before this offset are done
        int p = firstBs;
        while (p >= 0 && p <= lastBs && p < to) {
            // The string holding the backslash at p: from the nearest unescaped quote before it to the one after.
            int open = p - 1;
            while (open >= searchFrom && !(b[open] == '"' && !escaped(b, searchFrom, open))) open--;
            int start = open >= searchFrom ? open + 1 : searchFrom;
            int close = p;
            boolean hides = false;
            while (close < to) {
                byte c = b[close];
                if (c == '\\') {
                    if (close + 1 < to && (b[close + 1] == 'u' || b[close + 1] == '/')) hides = true;
                    close += 2;
                    continue;
                }
                if (c == '"') break;
                close++;
            }
            close = Math.min(close, to);
            if (hides) {
                decodeAndScan(b, from, start, close, to, raw, found, scanner);
                decoded.add(new int[] {start, close});
            }
            searchFrom = Math.min(to, close + 1);
            p = -1;
            for (int q = searchFrom; q <= lastBs && q < to; q++) {
                if (b[q] == '\\') {
                    p = q;
                    break;
                }
            }
        }
        if (decoded.isEmpty()) return false;
        out.removeIf(f -> inside(decoded, f));
        out.addAll(found);
        out.sort(java.util.Comparator.comparingLong(Finding::start));
        return true;
    }

    /** Whether the finding lies within one decoded string. */
    private static boolean inside(List<int[]> ranges, Finding f) {
        int lo = 0, hi = ranges.size() - 1;
        while (lo <= hi) { // last range starting at or before f
            int mid = (lo + hi) >>> 1;
            if (ranges.get(mid)[0] <= f.start()) lo = mid + 1;
            else hi = mid - 1;
        }
        return hi >= 0 && f.end() <= ranges.get(hi)[1];
    }

    /** True when the quote at {@code q} is preceded by an odd number of backslashes. */
    private static boolean escaped(byte[] b, int lo, int q) {
        int n = 0;
        while (q - 1 - n >= lo && b[q - 1 - n] == '\\') n++;
        return (n & 1) == 1;
    }

    /** Decodes the string content {@code b[start..end)} chunk by chunk and scans each chunk. */
    private static void decodeAndScan(byte[] b, int from, int start, int end, int to, List<Finding> raw,
                                      List<Finding> found, Scan scanner) {
        Buffers buf = BUFFERS.get();
        byte[] dec = buf.dec;
        int[] rs = buf.rawStart, re = buf.rawEnd;
        // Context: raw bytes before the string (its key), the opening quote included.
        int ctxFrom = Math.max(from, start - CONTEXT);
        int n = 0;
        for (int i = ctxFrom; i < start; i++) {
            dec[n] = b[i];
            rs[n] = i;
            re[n] = i + 1;
            n++;
        }
        int keepFrom = n; // findings starting before this belong to the context or an earlier chunk
        int i = start;
        while (i < end) {
            int escStart = i;
            byte c = b[i];
            int cp;
            if (c != '\\' || i + 1 >= end) {
                cp = -1;
                i++;
            } else {
                byte e = b[i + 1];
                int hex = e == 'u' && i + 6 <= end ? hex4(b, i + 2) : -1;
                switch (e) {
                    case 'u' -> {
                        if (hex < 0) {
                            cp = -1; // malformed: kept literally
                            i++;
                        } else {
                            cp = hex;
                            i += 6;
                            // A surrogate pair written as two escapes is one character.
                            if (hex >= 0xD800 && hex <= 0xDBFF && i + 6 <= end && b[i] == '\\' && b[i + 1] == 'u') {
                                int lo = hex4(b, i + 2);
                                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                                    cp = 0x10000 + ((hex - 0xD800) << 10) + (lo - 0xDC00);
                                    i += 6;
                                }
                            }
                        }
                    }
                    case '/', '\\', '"' -> {
                        cp = e;
                        i += 2;
                    }
                    case 'n' -> { cp = '\n'; i += 2; }
                    case 't' -> { cp = '\t'; i += 2; }
                    case 'r' -> { cp = '\r'; i += 2; }
                    case 'b' -> { cp = '\b'; i += 2; }
                    case 'f' -> { cp = '\f'; i += 2; }
                    default -> {
                        cp = -1;
                        i++;
                    }
                }
            }
            if (n + 4 > CONTEXT + CHUNK) {
                n = flush(dec, rs, re, n, keepFrom, false, start, end, raw, found, scanner);
                keepFrom = 0;
            }
            if (cp < 0) {
                dec[n] = c;
                rs[n] = escStart;
                re[n] = escStart + 1;
                n++;
            } else {
                n = putUtf8(dec, rs, re, n, cp, escStart, i);
            }
        }
        // The closing quote ends the last token as it does in the raw bytes.
        if (end < to) {
            dec[n] = b[end];
            rs[n] = end;
            re[n] = end + 1;
            n++;
        }
        flush(dec, rs, re, n, keepFrom, true, start, end, raw, found, scanner);
    }

    private static int putUtf8(byte[] dec, int[] rs, int[] re, int n, int cp, int s, int e) {
        int start = n;
        if (cp < 0x80) {
            dec[n++] = (byte) cp;
        } else if (cp < 0x800) {
            dec[n++] = (byte) (0xC0 | cp >> 6);
            dec[n++] = (byte) (0x80 | cp & 0x3F);
        } else if (cp < 0x10000) {
            dec[n++] = (byte) (0xE0 | cp >> 12);
            dec[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            dec[n++] = (byte) (0x80 | cp & 0x3F);
        } else {
            dec[n++] = (byte) (0xF0 | cp >> 18);
            dec[n++] = (byte) (0x80 | cp >> 12 & 0x3F);
            dec[n++] = (byte) (0x80 | cp >> 6 & 0x3F);
            dec[n++] = (byte) (0x80 | cp & 0x3F);
        }
        for (int k = start; k < n; k++) {
            rs[k] = s;
            re[k] = e;
        }
        return n;
    }

    /**
     * Scans {@code dec[0..n)} and keeps the findings that start in {@code [keepFrom, n - OVERLAP)} (up to {@code n}
     * for the last chunk) and overlap no raw finding reaching outside the string {@code [strStart, strEnd)} nor an
     * earlier decoded one; the last {@link #OVERLAP} bytes move to the front as the next
     * chunk's start, so each decoded byte starts findings in exactly one chunk. Returns the new length.
     */
    private static int flush(byte[] dec, int[] rs, int[] re, int n, int keepFrom, boolean last, int strStart, int strEnd,
                             List<Finding> raw, List<Finding> found, Scan scanner) {
        if (n == 0) return 0;
        int keepTo = last ? n : n - OVERLAP;
        var inner = new ArrayList<Finding>();
        scanner.scan(dec, 0, n, inner);
        for (Finding f : inner) {
            int s = (int) f.start(), e = (int) f.end();
            if (s < keepFrom || s >= keepTo || e <= s) continue;
            int rawS = rs[s], rawE = re[e - 1];
            if (overlapsAny(raw, rawS, rawE, strStart, strEnd) || overlapsAny(found, rawS, rawE, -1, -1)) continue;
            found.add(f.respanned(rawS, rawE));
        }
        if (last) return 0;
        System.arraycopy(dec, n - OVERLAP, dec, 0, OVERLAP);
        System.arraycopy(rs, n - OVERLAP, rs, 0, OVERLAP);
        System.arraycopy(re, n - OVERLAP, re, 0, OVERLAP);
        return OVERLAP;
    }

    /** Whether some finding of a list sorted by start, not lying within {@code [inS, inE)}, overlaps {@code [s, e)}. */
    private static boolean overlapsAny(List<Finding> list, int s, int e, int inS, int inE) {
        // Findings of one scan hardly overlap each other: the few last ones starting before e are enough.
        int hi = list.size() - 1;
        int lo = 0;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (list.get(mid).start() < e) lo = mid + 1;
            else hi = mid - 1;
        }
        for (int k = hi, seen = 0; k >= 0 && seen < 16; k--, seen++) {
            Finding f = list.get(k);
            if (f.start() < e && f.end() > s && !(f.start() >= inS && f.end() <= inE)) return true;
        }
        return false;
    }

    private static int hex4(byte[] b, int i) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int h = Character.digit(b[i + k], 16);
            if (h < 0) return -1;
            v = v << 4 | h;
        }
        return v;
    }
}
