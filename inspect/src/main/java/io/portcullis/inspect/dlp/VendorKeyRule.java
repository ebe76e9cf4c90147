package io.portcullis.inspect.dlp;

/**
 * The documented shape of one vendor credential: a fixed prefix, then a body of a given character set and
 * length, optionally with an extra structural check. Rules are looked up by prefix in a {@link PrefixTrie},
 * so adding rules does not slow the scan of bytes that start no prefix.
 *
 * @param type      finding type, e.g. {@code GITHUB_TOKEN}
 * @param vendor    vendor name (documentation only)
 * @param prefix    literal prefix (ASCII), case-sensitive
 * @param charset   {@link ByteClasses} bits allowed in the body
 * @param minBody   fewest body bytes
 * @param maxBody   most body bytes
 * @param check     extra structural check, or null
 * @param testMode  true when keys of this prefix are test-mode keys (reported with lower likelihood)
 */
record VendorKeyRule(String type, String vendor, String prefix, int charset, int minBody, int maxBody,
                     Check check, boolean testMode) {

    /** An extra structural check on {@code b[start..end)} whose body starts at {@code bodyStart}. */
    @FunctionalInterface
    interface Check {
        boolean test(byte[] b, int start, int bodyStart, int end);
    }

    static VendorKeyRule of(String type, String vendor, String prefix, int charset, int min, int max) {
        return new VendorKeyRule(type, vendor, prefix, charset, min, max, null, false);
    }

    VendorKeyRule with(Check c) {
        return new VendorKeyRule(type, vendor, prefix, charset, minBody, maxBody, c, testMode);
    }

    VendorKeyRule test() {
        return new VendorKeyRule(type, vendor, prefix, charset, minBody, maxBody, check, true);
    }

    /**
     * Tries this rule at {@code start} (the prefix is already known to match). Returns the end of the key,
     * or -1. The key must end at a boundary: the byte after it is not part of the body character set.
     */
    int match(byte[] b, int start, int to) {
        int bodyStart = start + prefix.length();
        int limit = Math.min(to, bodyStart + maxBody + 1);
        int p = bodyStart;
        while (p < limit && (ByteClasses.BITS[b[p] & 0xff] & charset) != 0) p++;
        int n = p - bodyStart;
        if (n < minBody || n > maxBody) return -1;
        if (p < to && (ByteClasses.BITS[b[p] & 0xff] & charset) != 0) return -1;
        if (check != null && !check.test(b, start, bodyStart, p)) return -1;
        return p;
    }
}
