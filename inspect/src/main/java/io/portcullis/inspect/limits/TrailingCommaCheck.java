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
        for (int i = off; i < off + len; i++, offset++) {
            byte c = b[i];
            if (inString) {
                if (escape) escape = false;
                else if (c == '\\') escape = true;
                else if (c == '"') inString = false;
                continue;
            }
            switch (c) {
                case ' ', '\t', '\r', '\n' -> { }
                case '"' -> {
                    inString = true;
                    last = c;
                }
                case '}', ']' -> {
                    if (last == ',' || last == ':') return offset;
                    last = c;
                }
                default -> last = c;
            }
        }
        return -1;
    }
}
