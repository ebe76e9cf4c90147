package io.portcullis.discovery.traffic;

import java.util.Set;

/**
 * Types a single path segment by its lexical shape. Pure and allocation-free on the hot path (no regular
 * expressions): the learner calls it for every segment of every request.
 *
 * <p>Guarantees: the result depends only on the segment text, its index and the previous segment; integers, UUIDs,
 * hex digests, prefixed IDs ({@code cus_…}), opaque tokens (base62, SIDs), dates and e-mail addresses are values;
 * version markers ({@code v1}, {@code v2beta1}, {@code 1.1}, a date in first position) and words
 * ({@code customers}, {@code chat.postMessage}, {@code payment_methods}) are constants.
 */
public final class SegmentTyper {
    private static final Set<String> FILE_SUFFIXES = Set.of("json", "xml", "csv", "pdf", "png", "jpg", "jpeg", "gif",
            "txt", "html", "htm", "mp3", "wav", "mp4", "zip", "yaml", "yml", "ics", "vcf", "svg", "webp", "atom", "rss",
            "ndjson", "tsv", "xlsx", "js", "css");
    private static final Set<String> VERSION_PARENTS = Set.of("api", "rest", "version", "versions", "services");

    private SegmentTyper() {
    }

    /**
     * Index of the '.' that starts a file suffix such as {@code .json} in {@code SM123.json}, or -1. Only well-known
     * file extensions count, so RPC names like {@code chat.postMessage} are not split.
     */
    public static int suffixStart(String segment) {
        int dot = segment.lastIndexOf('.');
        if (dot <= 0 || dot == segment.length() - 1 || segment.length() - dot > 7) return -1;
        for (int i = dot + 1; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c < 'a' || c > 'z') {
                if (c < 'A' || c > 'Z') return -1;
            }
        }
        String ext = segment.substring(dot + 1);
        return FILE_SUFFIXES.contains(ext) || FILE_SUFFIXES.contains(ext.toLowerCase(java.util.Locale.ROOT)) ? dot : -1;
    }

    /**
     * Types a segment (without its file suffix).
     *
     * @param s               the segment text, never empty
     * @param index           position of the segment in the path (0 = first)
     * @param previous        the previous segment's text, or {@code null} at index 0
     * @param afterParameter  whether an earlier segment of this path is already a parameter
     */
    public static SegmentKind classify(String s, int index, String previous, boolean afterParameter) {
        int n = s.length();
        if (n == 0) return SegmentKind.WORD;
        int digits = 0, lower = 0, upper = 0, other = 0, transitions = 0, maxDigitRun = 0, run = 0;
        int hexLetters = 0, dashes = 0, underscores = 0, dots = 0, ats = 0;
        int prevClass = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            int cls;
            if (c >= '0' && c <= '9') {
                digits++;
                run++;
                if (run > maxDigitRun) maxDigitRun = run;
                cls = 0;
            } else {
                run = 0;
                if (c >= 'a' && c <= 'z') {
                    lower++;
                    if (c <= 'f') hexLetters++;
                    cls = 1;
                } else if (c >= 'A' && c <= 'Z') {
                    upper++;
                    if (c <= 'F') hexLetters++;
                    cls = 2;
                } else {
                    cls = 3;
                    other++;
                    if (c == '-') dashes++;
                    else if (c == '_') underscores++;
                    else if (c == '.') dots++;
                    else if (c == '@') ats++;
                }
            }
            if (prevClass >= 0 && cls != prevClass && cls != 3 && prevClass != 3) transitions++;
            prevClass = cls;
        }
        int letters = lower + upper;

        // version markers: v1, V2, v2beta1, v1.1, 1.1, and small integers right after /api
        if ((s.charAt(0) == 'v' || s.charAt(0) == 'V') && n >= 2 && n <= 12 && isDigit(s.charAt(1)) && isVersionTail(s, 1)) {
            return SegmentKind.VERSION;
        }
        if (digits == n) {
            if (n <= 2 && leadingVersionSlot(index, previous, afterParameter)) return SegmentKind.VERSION;
            return SegmentKind.INTEGER;
        }
        if (dots > 0 && digits + dots == n && n <= 8 && leadingVersionSlot(index, previous, afterParameter)) return SegmentKind.VERSION;
        if (isDate(s)) return leadingVersionSlot(index, previous, afterParameter) ? SegmentKind.VERSION : SegmentKind.DATE;
        if (ats == 1 && isEmail(s)) return SegmentKind.EMAIL;
        if (n == 36 && dashes == 4 && isUuid(s)) return SegmentKind.UUID;
        if (s.charAt(0) == '+' && digits == n - 1 && n >= 8) return SegmentKind.OPAQUE_ID; // phone number
        if (digits > 0 && letters > 0 && digits + hexLetters == n && n >= 8 && (lower == 0 || upper == 0)) {
            return SegmentKind.HEX;
        }
        if (digits + hexLetters == n && n >= 24 && digits > 0) return SegmentKind.HEX;
        // prefixed IDs: cus_NffrFeUfNV2Hib, pi_3MtwBwLkdIwHu7ix28a3tqPa, txn_1032HU2eZvKYlo2C
        if (underscores >= 1) {
            int us = s.indexOf('_');
            if (us >= 1 && us <= 12 && allLetters(s, 0, us) && looksRandom(s, us + 1, n)) return SegmentKind.PREFIXED_ID;
        }
        if (dashes >= 1 && maxDigitRun >= 3) {
            int dash = s.indexOf('-');
            if (dash >= 1 && dash <= 12 && allLetters(s, 0, dash)) return SegmentKind.PREFIXED_ID; // INV-0042, ord-1234
        }
        if (maxDigitRun >= 5) return SegmentKind.OPAQUE_ID;
        if (n >= 8 && other <= 2 && digits > 0 && letters > 0 && onlyTokenChars(s)) {
            int gaps = n - 1;
            if (transitions * 100 >= gaps * 35 || digits * 10 >= n * 3) return SegmentKind.OPAQUE_ID;
        }
        if (n >= 16 && other <= 2 && upper > 0 && lower > 0 && onlyTokenChars(s) && transitions * 100 >= (n - 1) * 30) {
            return SegmentKind.OPAQUE_ID; // long mixed-case token without digits
        }
        return SegmentKind.WORD;
    }

    /** A version can sit first in the path or right after {@code /api}, {@code /rest}, ... and before any parameter. */
    private static boolean leadingVersionSlot(int index, String previous, boolean afterParameter) {
        return !afterParameter
                && (index == 0 || (previous != null && VERSION_PARENTS.contains(previous.toLowerCase(java.util.Locale.ROOT))));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isVersionTail(String s, int from) {
        int i = from;
        int n = s.length();
        while (i < n && (isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
        if (i == n) return true;
        // v2beta1, v1alpha, v3preview
        while (i < n && s.charAt(i) >= 'a' && s.charAt(i) <= 'z') i++;
        while (i < n && isDigit(s.charAt(i))) i++;
        return i == n;
    }

    private static boolean isDate(String s) {
        if (s.length() < 10) return false;
        for (int i = 0; i < 10; i++) {
            char c = s.charAt(i);
            if (i == 4 || i == 7) {
                if (c != '-') return false;
            } else if (!isDigit(c)) {
                return false;
            }
        }
        if (s.length() == 10) return true;
        char t = s.charAt(10);
        return t == 'T' || t == 't' || t == '_' || t == ' ';
    }

    private static boolean isEmail(String s) {
        int at = s.indexOf('@');
        return at > 0 && s.indexOf('.', at) > at + 1 && s.charAt(s.length() - 1) != '.';
    }

    private static boolean isUuid(String s) {
        for (int i = 0; i < 36; i++) {
            char c = s.charAt(i);
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                if (c != '-') return false;
            } else if (!(isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static boolean allLetters(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
        }
        return true;
    }

    private static boolean hasUpper(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) >= 'A' && s.charAt(i) <= 'Z') return true;
        return false;
    }

    private static boolean hasLower(String s, int from, int to) {
        for (int i = from; i < to; i++) if (s.charAt(i) >= 'a' && s.charAt(i) <= 'z') return true;
        return false;
    }

    private static boolean onlyTokenChars(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || isDigit(c) || c == '-' || c == '_')) return false;
        }
        return true;
    }

    /** The random part of a prefixed ID: at least 6 alphanumerics with a digit or frequent case changes. */
    private static boolean looksRandom(String s, int from, int to) {
        int len = to - from;
        if (len < 6) return false;
        int digits = 0, transitions = 0, prev = -1;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int cls;
            if (isDigit(c)) {
                cls = 0;
                digits++;
            } else if (c >= 'a' && c <= 'z') {
                cls = 1;
            } else if (c >= 'A' && c <= 'Z') {
                cls = 2;
            } else if (c == '_') {
                return false; // snake_case words: payment_methods, line_items
            } else {
                return false;
            }
            if (prev >= 0 && prev != cls) transitions++;
            prev = cls;
        }
        boolean mixedCase = hasUpper(s, from, to) && hasLower(s, from, to);
        return (digits > 0 && transitions >= 2) || transitions * 100 >= (len - 1) * 30 || (mixedCase && len >= 10);
    }
}
