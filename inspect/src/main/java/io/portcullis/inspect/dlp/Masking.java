package io.portcullis.inspect.dlp;

/**
 * Masked previews of found values. A preview shows at most what PCI DSS allows to display for a card
 * (first four, last four) and for secrets only the public vendor prefix, never the secret part.
 */
final class Masking {
    private Masking() {}

    /** Digits/letters masked except the first four and last four when there are at least 12; separators kept. */
    static String digits(byte[] b, int s, int e) {
        int n = 0;
        for (int i = s; i < e; i++) if (ByteClasses.is(b[i], ByteClasses.ALNUM)) n++;
        int keepHead = n >= 12 ? 4 : 0, keepTail = n >= 12 ? 4 : n >= 8 ? 4 : n >= 6 ? 2 : 0;
        var sb = new StringBuilder(e - s);
        int k = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (ByteClasses.is(c, ByteClasses.ALNUM)) {
                sb.append(k < keepHead || k >= n - keepTail ? (char) c : '*');
                k++;
            } else {
                sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            }
        }
        return sb.toString();
    }

    /** All masked: one '*' per value character, separators kept (dates, short codes). */
    static String all(byte[] b, int s, int e) {
        var sb = new StringBuilder(e - s);
        for (int i = s; i < e; i++) sb.append(ByteClasses.is(b[i], ByteClasses.ALNUM) ? '*' : (char) (b[i] & 0x7f));
        return sb.toString();
    }

    /** The public prefix (at most 12 bytes of it) followed by a fixed "****": the length is not revealed. */
    static String prefix(byte[] b, int s, int prefixLen) {
        int n = Math.min(prefixLen, 12);
        return new String(b, s, n, java.nio.charset.StandardCharsets.ISO_8859_1) + "****";
    }

    /** {@code j***@example.com}: first character of the local part, the domain kept. */
    static String email(byte[] b, int s, int at, int e) {
        return (char) b[s] + "***@" + new String(b, at + 1, e - at - 1, java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** IPv4 keeps the first two octets, IPv6 the first group. */
    static String ip(byte[] b, int s, int e) {
        var text = new String(b, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1);
        if (text.indexOf(':') >= 0) return text.substring(0, text.indexOf(':')) + ":****";
        int d1 = text.indexOf('.'), d2 = text.indexOf('.', d1 + 1);
        return text.substring(0, d2) + ".*.*";
    }
}
