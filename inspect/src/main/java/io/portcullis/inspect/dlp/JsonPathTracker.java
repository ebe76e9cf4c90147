package io.portcullis.inspect.dlp;

import java.nio.charset.StandardCharsets;

/**
 * Follows a JSON document byte by byte (incrementally, so it works across streamed chunks) and answers
 * "what is the path of the value at the current position": {@code $.customer.cards[2].number}.
 *
 * <p>Written by hand rather than with Jackson's non-blocking parser because it only needs the container
 * structure and key names, runs only up to the offsets of findings, and must never fail on broken JSON:
 * malformed input yields a best-effort path, never an exception. Depth beyond {@link #MAX_DEPTH} and keys
 * longer than {@link #MAX_KEY} bytes are truncated.
 */
final class JsonPathTracker {
    static final int MAX_DEPTH = 64, MAX_KEY = 128;

    private final boolean[] isArray = new boolean[MAX_DEPTH];
    /** Key bytes per level (allocated on first use) and their length, -1 for none: Strings are made only by path(). */
    private final byte[][] keys = new byte[MAX_DEPTH][];
    private final int[] keyLens = new int[MAX_DEPTH];
    private final int[] index = new int[MAX_DEPTH];
    /** Rendered key segment per level ({@code .name} or {@code ['odd name']}), made on first use. */
    private final String[] segments = new String[MAX_DEPTH];
    /** The last path() result, valid until the structure changes. */
    private String lastPath;
    private int depth; // may exceed MAX_DEPTH; levels beyond are not recorded
    private boolean inString, escape, stringIsKey, expectKey;
    private final byte[] keyBuf = new byte[MAX_KEY];
    private int keyLen;
    private long position;

    /** Absolute offset of the next byte this tracker expects. */
    long position() {
        return position;
    }

    /** Consumes {@code b[off..off+len)}, which must be the bytes at {@link #position()} onwards. */
    void advance(byte[] b, int off, int len) {
        int end = off + len;
        for (int i = off; i < end; i++) {
            byte c = b[i];
            if (inString) {
                if (escape) {
                    escape = false;
                    if (stringIsKey && keyLen < MAX_KEY) keyBuf[keyLen++] = c;
                } else if (c == '\\') {
                    escape = true;
                } else if (c == '"') {
                    inString = false;
                    if (stringIsKey && depth > 0 && depth <= MAX_DEPTH) {
                        int d = depth - 1;
                        if (keys[d] == null) keys[d] = new byte[MAX_KEY];
                        System.arraycopy(keyBuf, 0, keys[d], 0, keyLen);
                        keyLens[d] = keyLen;
                        segments[d] = null;
                        lastPath = null;
                    }
                } else if (stringIsKey) {
                    // Key bytes up to the next quote or backslash, kept up to MAX_KEY.
                    int j = i;
                    while (j < end && b[j] != '"' && b[j] != '\\') {
                        if (keyLen < MAX_KEY) keyBuf[keyLen++] = b[j];
                        j++;
                    }
                    i = j - 1;
                } else {
                    // Inside a value string only a quote or a backslash matters: skip to the next one.
                    int j = i + 1;
                    while (j < end && b[j] != '"' && b[j] != '\\') j++;
                    i = j - 1;
                }
                continue;
            }
            switch (c) {
                case '{' -> push(false);
                case '[' -> push(true);
                case '}', ']' -> {
                    if (depth > 0) depth--;
                    expectKey = false;
                    lastPath = null;
                }
                case '"' -> {
                    inString = true;
                    stringIsKey = expectKey && top() == 1;
                    keyLen = 0;
                    if (stringIsKey) expectKey = false;
                }
                case ',' -> {
                    int t = top();
                    if (t == 1) expectKey = true;
                    else if (t == 2 && depth <= MAX_DEPTH) {
                        index[depth - 1]++;
                        lastPath = null;
                    }
                }
                default -> { }
            }
        }
        position += len;
    }

    /** 0 = top level, 1 = object, 2 = array, 3 = too deep. */
    private int top() {
        if (depth == 0) return 0;
        if (depth > MAX_DEPTH) return 3;
        return isArray[depth - 1] ? 2 : 1;
    }

    private void push(boolean array) {
        if (depth < MAX_DEPTH) {
            isArray[depth] = array;
            keyLens[depth] = -1;
            segments[depth] = null;
            index[depth] = 0;
        }
        depth++;
        lastPath = null;
        expectKey = !array;
    }

    /** The path of the value at the current position. */
    String path() {
        if (lastPath != null) return lastPath;
        var sb = new StringBuilder("$");
        int n = Math.min(depth, MAX_DEPTH);
        for (int d = 0; d < n; d++) {
            if (isArray[d]) {
                sb.append('[').append(index[d]).append(']');
            } else if (keyLens[d] >= 0) {
                if (segments[d] == null) {
                    String k = new String(keys[d], 0, keyLens[d], StandardCharsets.UTF_8);
                    boolean plain = asciiPlainName(keys[d], keyLens[d]) || isPlainName(k);
                    segments[d] = plain ? "." + k : "['" + k.replace("\\", "\\\\").replace("'", "\\'") + "']";
                }
                sb.append(segments[d]);
            }
        }
        if (depth > MAX_DEPTH) sb.append("...");
        return lastPath = sb.toString();
    }

    /** The common case of {@link #isPlainName} without decoding: ASCII letters, digits, '_' and '-'. */
    private static boolean asciiPlainName(byte[] k, int n) {
        if (n == 0) return false;
        for (int i = 0; i < n; i++) {
            byte c = k[i];
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
        }
        return true;
    }

    private static boolean isPlainName(String k) {
        if (k.isEmpty()) return false;
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) return false;
        }
        return true;
    }
}
