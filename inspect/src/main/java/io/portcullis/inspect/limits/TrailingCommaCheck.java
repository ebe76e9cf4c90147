package io.portcullis.inspect.limits;

/**
 * Rejects a comma or colon directly before {@code }} or {@code ]} (outside strings), across chunk boundaries.
 *
 * <p>Written by hand because Jackson 2.21's non-blocking parser accepts {@code {"a":1,}} and {@code {"a":}} when a
 * chunk ends right after the comma or colon (found by {@code StructuralLimitsPropertyTest}, which compares
 * against the blocking parser and across chunkings);
 * accepting what the app's parser rejects, or the reverse, is the kind of parser differential attackers use.
 */
final class TrailingCommaCheck {
    private boolean inString;
    private boolean escape;
    private byte last;
    private long offset;

    /** Returns the body offset of a closing bracket that follows a comma or colon, or -1. */
    long accept(byte[] b, int off, int len) {
        final int end = off + len;
        final long base = offset - off; // body offset of b[i] is base + i
        int i = off;
        while (i < end) {
            if (inString) {
                if (escape) {
                    escape = false;
                    i++;
                    continue;
                }
                while (i < end && b[i] != '"' && b[i] != '\\') i++; // string content
                if (i == end) break;
                if (b[i] == '\\') escape = true;
                else inString = false;
                i++;
                continue;
            }
            byte c = b[i];
            switch (c) {
                case ' ', '\t', '\r', '\n' -> { }
                case '"' -> {
                    inString = true;
                    last = c;
                }
                case '}', ']' -> {
                    if (last == ',' || last == ':') return offset = base + i;
                    last = c;
                }
                default -> last = c;
            }
            i++;
        }
        offset = base + end;
        return -1;
    }
}
