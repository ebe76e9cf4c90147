package io.portcullis.inspect.dlp;

import java.util.ArrayList;
import java.util.List;

/**
 * A byte trie of vendor key prefixes. A lookup walks at most as many bytes as the longest prefix and stops
 * at the first byte that no prefix continues with, so its cost does not depend on the number of rules.
 */
final class PrefixTrie {
    private static final class Node {
        final Node[] next = new Node[128];
        VendorKeyRule[] rules;
    }

    private final Node root = new Node();
    private final int maxDepth;
    /** Bit {@code a << 8 | b}: some prefix starts with bytes a, b (or is the single byte a). */
    private final long[] starts2 = new long[1024];

    PrefixTrie(List<VendorKeyRule> rules) {
        int depth = 0;
        for (VendorKeyRule r : rules) {
            Node n = root;
            for (int i = 0; i < r.prefix().length(); i++) {
                char c = r.prefix().charAt(i);
                if (c >= 128) throw new IllegalArgumentException("non-ASCII prefix");
                if (n.next[c] == null) n.next[c] = new Node();
                n = n.next[c];
            }
            var list = new ArrayList<VendorKeyRule>();
            if (n.rules != null) list.addAll(List.of(n.rules));
            list.add(r);
            n.rules = list.toArray(VendorKeyRule[]::new);
            depth = Math.max(depth, r.prefix().length());
        }
        maxDepth = depth;
        for (int a = 0; a < 128; a++) {
            Node n = root.next[a];
            if (n == null) continue;
            for (int c = 0; c < 256; c++) {
                if (n.rules != null || (c < 128 && n.next[c] != null)) {
                    int bit = a << 8 | c;
                    starts2[bit >>> 6] |= 1L << bit;
                }
            }
        }
    }

    /** True when some prefix starts with these two bytes (a two-load test; no call into the trie walk). */
    boolean startsAny(byte a, byte b) {
        int bit = (a & 0xff) << 8 | (b & 0xff);
        return (starts2[bit >>> 6] & (1L << bit)) != 0;
    }

    /**
     * Finds the longest-prefix rule that matches at {@code start}; stores the key's end in {@code endOut[0]}.
     * Returns null when no rule matches. Allocates nothing.
     */
    VendorKeyRule match(byte[] b, int start, int to, int[] endOut) {
        Node n = root;
        Node last1 = null, last2 = null, last3 = null;
        int p = start;
        int limit = Math.min(to, start + maxDepth);
        while (p < limit) {
            byte c = b[p];
            if (c < 0) break;
            n = n.next[c];
            if (n == null) break;
            p++;
            if (n.rules != null) {
                last3 = last2;
                last2 = last1;
                last1 = n;
            }
        }
        VendorKeyRule r = tryNode(last1, b, start, to, endOut);
        if (r == null) r = tryNode(last2, b, start, to, endOut);
        if (r == null) r = tryNode(last3, b, start, to, endOut);
        return r;
    }

    private static VendorKeyRule tryNode(Node n, byte[] b, int start, int to, int[] endOut) {
        if (n == null) return null;
        for (VendorKeyRule r : n.rules) {
            int end = r.match(b, start, to);
            if (end >= 0) {
                endOut[0] = end;
                return r;
            }
        }
        return null;
    }
}
