package io.portcullis.inspect.dlp;

import java.util.List;

/**
 * Masks findings in place. The output has the same length as the input, so offsets stay valid (a streamed
 * chunk keeps its size), and a JSON document stays valid JSON: masked bytes inside strings become
 * {@code '*'}, a backslash escape is masked together with the escaped character, and a card number written
 * as a bare JSON number is masked with {@code '9'} so it stays a number.
 */
public final class Redaction {
    private Redaction() {}

    /**
     * Masks every finding's span in {@code b} (findings with absolute offsets relative to {@code base}, so a
     * chunk of a stream can be redacted). Separators (space, '-', '.', '@', ':') are kept; card numbers keep their
     * last four digits; a backslash escape inside a span is masked with its escaped character, so JSON string
     * escapes never break; a bare JSON number is masked with '9' to stay a number.
     */
    public static void apply(byte[] b, int off, int len, long base, List<Finding> findings) {
        for (Finding f : findings) {
            long s = Math.max(f.start(), base), e = Math.min(f.end(), base + len);
            if (s >= e) continue;
            int from = (int) (s - base) + off, to = (int) (e - base) + off;
            boolean bareNumber = isBareNumber(b, off, off + len, from, to);
            int keepTail = f.type().equals("CREDIT_CARD_NUMBER") ? 4 : 0;
            int digitsSeen = 0, totalDigits = 0;
            if (keepTail > 0) for (int i = from; i < to; i++) if (ByteClasses.isDigit(b[i])) totalDigits++;
            for (int i = from; i < to; i++) {
                byte c = b[i];
                if (c == '\\' && i + 1 < to) {
                    b[i] = '*';
                    b[i + 1] = '*';
                    i++;
                    continue;
                }
                boolean sep = c == ' ' || c == '-' || c == '.' || c == '@' || c == ':' || c == '"';
                if (sep) continue;
                if (ByteClasses.isDigit(c)) {
                    digitsSeen++;
                    if (digitsSeen > totalDigits - keepTail && keepTail > 0) continue;
                }
                b[i] = bareNumber && ByteClasses.isDigit(c) ? (byte) '9' : (byte) '*';
            }
        }
    }

    public static void apply(byte[] b, List<Finding> findings) {
        apply(b, 0, b.length, 0, findings);
    }

    /** A JSON number: digits only, after ':', '[' or ',' and before ',', '}' or ']' (spaces aside). */
    private static boolean isBareNumber(byte[] b, int lo, int hi, int from, int to) {
        for (int i = from; i < to; i++) if (!ByteClasses.isDigit(b[i])) return false;
        int p = from - 1;
        while (p >= lo && (b[p] == ' ' || b[p] == '\n' || b[p] == '\t' || b[p] == '\r')) p--;
        int q = to;
        while (q < hi && (b[q] == ' ' || b[q] == '\n' || b[q] == '\t' || b[q] == '\r')) q++;
        boolean before = p >= lo && (b[p] == ':' || b[p] == '[' || b[p] == ',');
        boolean after = q >= hi || b[q] == ',' || b[q] == '}' || b[q] == ']';
        return before && after;
    }
}
