package io.portcullis.gateway.snapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * Longest-prefix routing on whole path segments: {@code /stripe/v2/x} goes to a {@code /stripe/v2}
 * route before a {@code /stripe} route, and {@code /stripex} matches neither. Lookup costs one hash
 * probe per segment boundary, independent of the number of routes.
 */
public final class RouteTable<T> {
    private final Map<String, T> byPrefix = new HashMap<>();
    private int maxSegments;

    public void add(String prefix, T value) {
        byPrefix.put(prefix, value);
        maxSegments = Math.max(maxSegments, (int) prefix.chars().filter(c -> c == '/').count());
    }

    /** The route whose prefix is the longest segment-aligned prefix of {@code path}, or null. */
    public Match<T> find(String path) {
        // candidate boundaries: each '/' after the first char, and the end of the path
        int[] ends = new int[maxSegments + 1];
        int n = 0;
        for (int i = 1; i < path.length() && n < maxSegments; i++) {
            if (path.charAt(i) == '/') ends[n++] = i;
        }
        if (n < maxSegments + 1) ends[n++] = path.length();
        for (int k = n - 1; k >= 0; k--) {
            T v = byPrefix.get(path.substring(0, ends[k]));
            if (v != null) return new Match<>(v, ends[k]);
        }
        return null;
    }

    /** A matched route and where its prefix ends in the path. */
    public record Match<T>(T value, int prefixEnd) {}
}
