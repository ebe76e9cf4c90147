package io.portcullis.gateway.listen;

/**
 * Refuses request paths whose meaning could differ between the gateway's routing and the vendor's:
 * dot segments (plain or percent-encoded), encoded slashes and backslashes, control characters and
 * malformed percent escapes. Checking once here keeps allow rules honest.
 */
final class PathCheck {
    private PathCheck() {}

    /** A reason to refuse the path, or null if it is acceptable. */
    static String problem(String path) {
        int n = path.length();
        for (int i = 0; i < n; i++) {
            char c = path.charAt(i);
            if (c < 0x21 || c == 0x7f || c == '\\') return "the request path contains a forbidden character";
            if (c == '%') {
                if (i + 2 >= n || hex(path.charAt(i + 1)) < 0 || hex(path.charAt(i + 2)) < 0) return "the request path has a malformed percent-escape";
                int v = hex(path.charAt(i + 1)) * 16 + hex(path.charAt(i + 2));
                if (v == '/' || v == '\\' || v < 0x20 || v == 0x7f) return "the request path contains an encoded slash, backslash or control character";
            }
        }
        // dot segments, decoding %2e
        int segStart = 1;
        for (int i = 1; i <= n; i++) {
            if (i == n || path.charAt(i) == '/') {
                if (isDotSegment(path, segStart, i)) return "the request path contains a dot segment";
                segStart = i + 1;
            }
        }
        if (path.contains("//")) return "the request path contains an empty segment";
        return null;
    }

    /** Whether {@code path[start, end)} is "." or ".." with each dot written plain or as %2e / %2E. */
    private static boolean isDotSegment(String path, int start, int end) {
        int dots = 0;
        for (int i = start; i < end; ) {
            char c = path.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '%' && i + 2 < end + 1 && i + 2 < path.length() && path.charAt(i + 1) == '2'
                    && (path.charAt(i + 2) == 'e' || path.charAt(i + 2) == 'E') && i + 3 <= end) {
                i += 3;
            } else {
                return false;
            }
            if (++dots > 2) return false;
        }
        return dots == 1 || dots == 2;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
