package io.portcullis.inspect.dlp;

import static io.portcullis.inspect.dlp.ByteClasses.BITS;
import static io.portcullis.inspect.dlp.ByteClasses.KIND;
import static io.portcullis.inspect.dlp.ByteClasses.TOKEN;
import static io.portcullis.inspect.dlp.ByteClasses.WORD;
import static io.portcullis.inspect.dlp.ByteClasses.isDigit;
import static io.portcullis.inspect.dlp.ByteClasses.isUpper;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The byte-level scan behind {@link DlpEngine}: one pass over the bytes with a 256-entry class table; only
 * at word starts, '@' and "-----" does it look closer, and only validated candidates allocate (the finding).
 *
 * <p>Each word is visited once: digit runs go to the numeric validators (cards, SSN, Aadhaar, DNI, dates,
 * IPv4, phones, CVV), words to the vendor prefix trie and the shape checks (IBAN, NINO, NIE, IPv6), long
 * tokens to the key-name context checks (generic secrets, passwords, AWS secret keys) and to bounded Base64
 * decoding. Every lookahead and lookbehind is bounded by a constant, so the scan is linear in the input.
 */
final class TextScanner {
    /** Longest token examined as one candidate (longer Base64 blobs are skipped after a bounded look). */
    static final int MAX_TOKEN = 64 * 1024;
    /** Decoded bytes examined per Base64 blob, and per scan in total. */
    static final int MAX_B64_BLOB = 16 * 1024, MAX_B64_TOTAL = 1024 * 1024;

    private final PrefixTrie trie;
    private final boolean pci, pii, secrets;

    TextScanner(List<VendorKeyRule> vendorRules, boolean pci, boolean pii, boolean secrets) {
        this.trie = new PrefixTrie(vendorRules);
        this.pci = pci;
        this.pii = pii;
        this.secrets = secrets;
    }

    /** Per-scan scratch space: one per thread, reset for each top-level scan, reused for every candidate. */
    static final class Scratch {
        final int[] digits = new int[32];
        final int[] groupStart = new int[8], groupEnd = new int[8], groupDigits = new int[8];
        final byte[] seps = new byte[8];
        final int[] endOut = new int[1];
        final char[] chars = new char[40];
        final byte[] head = new byte[72];
        byte[] b64;
        int b64Budget = MAX_B64_TOTAL;
        int tokenEnd = -1;
        int lastAwsKeyIdEnd = -1;
        int pemEndAt = -1, pemSearchedTo = -1;
        /** First and last backslash the candidate pass stepped on (-1: none), for JSON escape decoding. */
        int firstBackslash = -1, lastBackslash = -1;
        /** Work counter of the last top-level scan: candidates dispatched plus validator calls (tests check it is linear). */
        long work;

        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

        /** This thread's scratch, reset for a new top-level scan (scans are not re-entered on one thread). */
        static Scratch forThisThread() {
            Scratch s = PER_THREAD.get();
            s.b64Budget = MAX_B64_TOTAL;
            s.tokenEnd = -1;
            s.lastAwsKeyIdEnd = -1;
            s.pemEndAt = -1;
            s.pemSearchedTo = -1;
            s.firstBackslash = -1;
            s.lastBackslash = -1;
            s.work = 0;
            return s;
        }

        /** This thread's scratch as the last scan left it (tests read its work counter). */
        static Scratch current() {
            return PER_THREAD.get();
        }
    }

    void scan(byte[] b, int from, int to, List<Finding> out, int depth, Scratch s) {
        int i = from;
        while (i < to) {
            byte k = KIND[b[i] & 0xff];
            if (k == 0) {
                i++;
                continue;
            }
            s.work++;
            switch (k) {
                case ByteClasses.K_DIGIT -> i = onDigit(b, i, from, to, out, depth, s);
                case ByteClasses.K_ALPHA -> {
                    // Fast path, inlined: most words can start nothing; only those that might go to onWord.
                    byte first = b[i];
                    int wend = i + 1;
                    int seen = BITS[first & 0xff]; // classes in the word
                    while (wend < to) {
                        int c = BITS[b[wend] & 0xff];
                        if ((c & WORD) == 0) break;
                        seen |= c;
                        wend++;
                    }
                    int wl = wend - i;
                    byte next = wend < to ? b[wend] : 0;
                    boolean maybe = (secrets && trie.startsAny(first, wl > 1 ? b[i + 1] : next))
                            || (pii && wl >= 2 && first >= 'A' && first <= 'Z' && mayBeShape(b, i, wl))
                            || (pii && next == ':' && wl <= 4)
                            || (secrets && (next == '"' || next == ':' || next == '\'' || next == '=') && wl >= 3 && wl <= 40 && (seen & ByteClasses.LETTER_P) != 0 && mayBePasswordKey(b, i, wend))
                            // A token already examined from its start leaves only word-level checks (above) to its inner words.
                            || (i >= s.tokenEnd ? wl >= 16 || (BITS[next & 0xff] & (TOKEN & ~WORD)) != 0 : secrets && wl == 32);
                    i = maybe ? onWord(b, i, wend, from, to, out, depth, s) : wend;
                }
                case ByteClasses.K_AT -> i = pii ? onAt(b, i, from, to, out) : i + 1;
                case ByteClasses.K_DASH -> i = secrets ? onDash(b, i, to, out, s) : i + 1;
                case ByteClasses.K_BACKSLASH -> {
                    if (s.firstBackslash < 0) s.firstBackslash = i;
                    s.lastBackslash = i++;
                }
                default -> i++;
            }
        }
    }

    // ---------------------------------------------------------------- words, vendor keys, shapes

    /** A word {@code b[i..wend)} (word bytes only) that may start something. */
    private int onWord(byte[] b, int i, int wend, int from, int to, List<Finding> out, int depth, Scratch s) {
        s.work++;
        if (secrets && trie.startsAny(b[i], wend - i > 1 ? b[i + 1] : wend < to ? b[wend] : 0)) {
            VendorKeyRule r = trie.match(b, i, to, s.endOut);
            if (r != null) {
                int end = s.endOut[0];
                if (!isPlaceholderOrExample(b, i, i + r.prefix().length(), end)) {
                    Likelihood l = r.testMode() ? Likelihood.LIKELY : Likelihood.VERY_LIKELY;
                    add(out, r.type(), DataClass.SECRET, i, end, l, Masking.prefix(b, i, r.prefix().length()));
                    if (r.type().equals("AWS_ACCESS_KEY_ID")) s.lastAwsKeyIdEnd = end;
                }
                return Math.max(end, wend);
            }
        }
        int wl = wend - i;
        if (pii && wl >= 2 && isUpper(b[i])) {
            int e = -1;
            if (wl >= 4 && isUpper(b[i + 1]) && isDigit(b[i + 2]) && isDigit(b[i + 3])) e = iban(b, i, from, to, out, s);
            if (e < 0 && isUpper(b[i + 1]) && (wl == 9 || wl == 2)) e = nino(b, i, from, to, out, s);
            if (e < 0 && wl == 9 && (b[i] == 'X' || b[i] == 'Y' || b[i] == 'Z')) e = nie(b, i, from, to, out);
            if (e >= 0) return e;
        }
        if (pii && wl <= 4 && wend < to && b[wend] == ':' && ByteClasses.is(b[i], ByteClasses.HEX)) {
            int e = ipv6(b, i, from, to, out);
            if (e >= 0) return e;
        }
        if (secrets && wl == 32 && wend + 3 < to && b[wend] == '-' && b[wend + 1] == 'u' && b[wend + 2] == 's'
                && isDigit(b[wend + 3]) && allBits(b, i, wend, ByteClasses.HEX_LOWER)) {
            int e = wend + 4;
            if (e < to && isDigit(b[e])) e++;
            if (e >= to || (BITS[b[e] & 0xff] & WORD) == 0) {
                add(out, "MAILCHIMP_API_KEY", DataClass.SECRET, i, e, Likelihood.LIKELY, "****" + new String(b, wend, e - wend, java.nio.charset.StandardCharsets.ISO_8859_1));
                return e;
            }
        }
        if (secrets && wend + 1 < to && wl >= 3 && wl <= 40 && (b[wend] == '"' || b[wend] == '=' || b[wend] == ':' || b[wend] == '\'')
                && mayBePasswordKey(b, i, wend) && secretKeyKind(b, i, wend) == KEY_PASSWORD) {
            int e = passwordAfterKey(b, wend, to, out);
            if (e >= 0) return e;
        }
        // Base64 secrets may start with '+' or '/': the token then starts one byte earlier.
        int ts = i;
        if (i > from && (b[i - 1] == '+' || b[i - 1] == '/') && (i - 1 == from || (BITS[b[i - 2] & 0xff] & TOKEN) == 0)) ts = i - 1;
        boolean tokenStart = ts == from || (BITS[b[ts - 1] & 0xff] & TOKEN) == 0;
        if (wl < 16 && (wend >= to || (BITS[b[wend] & 0xff] & TOKEN) == 0)) return wend;
        // Long token: extent over the token alphabet (shared by every start inside it).
        int tend;
        int seen = -1; // character-set bits present in the token (all, when not scanned here)
        if (i < s.tokenEnd) {
            tend = s.tokenEnd;
        } else {
            seen = 0;
            tend = i;
            int lim = Math.min(to, i + MAX_TOKEN);
            while (tend < lim) {
                int c = BITS[b[tend] & 0xff];
                if ((c & TOKEN) == 0) break;
                seen |= c;
                tend++;
            }
            s.tokenEnd = tend;
        }
        // Trailing dots and dashes belong to the sentence, not the token.
        int vend = tend;
        while (vend > i && (b[vend - 1] == '.' || b[vend - 1] == '-')) vend--;
        int tl = vend - ts;
        if (tokenStart && tl >= 16) {
            if (secrets) {
                int e = contextSecret(b, ts, vend, from, out, s);
                if (e >= 0) return e;
            }
            // Base64 mixes cases (necessary: both cases somewhere in the token) and has no dots.
            if (depth == 0 && tl >= 24 && (seen & ByteClasses.UPPER) != 0 && (seen & ByteClasses.LOWER) != 0
                    && mixedCase(b, i, Math.min(vend, i + 32))
                    && ((seen & ByteClasses.DOT) == 0 || allBits(b, i, vend, ByteClasses.B64 | ByteClasses.B64URL))) {
                decodeBase64(b, i, vend, out, s);
            }
        }
        return tl > 256 ? tend : wend;
    }

    /** An upper-case word {@code b[i..i+wl)}, {@code wl >= 2}, with the shape of an IBAN, a UK NINO or a Spanish NIE start. */
    private static boolean mayBeShape(byte[] b, int i, int wl) {
        byte c1 = b[i + 1];
        if (c1 >= 'A' && c1 <= 'Z' && (wl == 2 || wl == 9 || (wl >= 4 && isDigit(b[i + 2]) && isDigit(b[i + 3])))) return true;
        return wl == 9 && (b[i] == 'X' || b[i] == 'Y' || b[i] == 'Z');
    }

    /** Base64 of text always mixes upper and lower case; hex hashes and UUIDs do not. */
    private static boolean mixedCase(byte[] b, int s, int e) {
        boolean up = false, low = false;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c >= 'A' && c <= 'Z') up = true;
            else if (c >= 'a' && c <= 'z') low = true;
        }
        return up && low;
    }

    private static boolean matchesAt(byte[] b, int i, String w) {
        for (int j = 1; j < w.length(); j++) if (b[i + j] != w.charAt(j)) return false;
        return true;
    }

    private static boolean allBits(byte[] b, int s, int e, int mask) {
        for (int i = s; i < e; i++) if ((BITS[b[i] & 0xff] & mask) == 0) return false;
        return true;
    }

    /** Documentation placeholders ("xxxx", "EXAMPLE", low variety) and published doc keys are not secrets. */
    private static boolean isPlaceholderOrExample(byte[] b, int s, int bodyStart, int e) {
        // One pass: the EXAMPLE markers anywhere, the variety of the body's characters.
        long lo = 0, hi = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if ((c == 'E' || c == 'e') && i + 7 <= e && matchesAt(b, i, c == 'E' ? "EXAMPLE" : "example")) return true;
            if (i >= bodyStart) {
                int x = c & 0x7f;
                if (x < 64) lo |= 1L << x;
                else hi |= 1L << (x - 64);
            }
        }
        if (e - bodyStart >= 16 && Long.bitCount(lo) + Long.bitCount(hi) < 6) return true;
        for (String ex : VendorKeyCatalogue.DOC_EXAMPLES) {
            if (ex.length() == e - s && VendorKeyCatalogue.contains(b, s, e, ex)) return true;
        }
        return false;
    }

    // ---------------------------------------------------------------- key-name context

    static final int KEY_NONE = 0, KEY_SECRET = 1, KEY_PASSWORD = 2, KEY_AWS_SECRET = 3;

    /**
     * The key name right before a value at {@code pos}: JSON {@code "name": "}, form {@code name=}, header
     * {@code Name: }, or an auth scheme word ({@code Bearer }). Returns {@code start << 32 | end}, or -1.
     */
    static long keyNameBefore(byte[] b, int from, int pos) {
        int p = pos - 1;
        int lim = Math.max(from, pos - 6);
        while (p >= lim && (b[p] == '"' || b[p] == '\'' || b[p] == ' ' || b[p] == '\t')) p--;
        boolean assign = p >= from && (b[p] == ':' || b[p] == '=');
        if (assign) {
            p--;
            if (p >= from && b[p] == ':') p--; // ":=" assignments
            int lim2 = Math.max(from, p - 4);
            while (p >= lim2 && (b[p] == '"' || b[p] == '\'' || b[p] == ' ' || b[p] == '\t')) p--;
        } else if (p < from || p != pos - 2 || b[p + 1] != ' ') {
            return -1; // only "Scheme value" (one space) counts without an assignment
        }
        int end = p + 1;
        int lim3 = Math.max(from, end - 48);
        while (p >= lim3 && (ByteClasses.is(b[p], WORD) || b[p] == '-' || b[p] == '.')) p--;
        int start = p + 1;
        if (end - start < 2) return -1;
        if (!assign && !isAuthScheme(b, start, end)) return -1;
        return (long) start << 32 | end;
    }

    static int keyStart(long key) {
        return (int) (key >>> 32);
    }

    static int keyEnd(long key) {
        return (int) key;
    }

    /** Cheap pre-filter without allocation: does the key contain "pass", "pwd" or "pswd" (any case)? */
    static boolean mayBePasswordKey(byte[] b, int s, int e) {
        for (int i = s; i + 2 < e; i++) {
            if ((b[i] | 0x20) != 'p') continue; // 'p' or 'P' only
            byte c1 = ByteClasses.lower(b[i + 1]), c2 = ByteClasses.lower(b[i + 2]);
            if (c1 == 'w' && c2 == 'd') return true;
            if (c1 == 's' && c2 == 'w') return true;
            if (c1 == 'a' && c2 == 's' && i + 3 < e && ByteClasses.lower(b[i + 3]) == 's') return true;
        }
        return false;
    }

    private static boolean isAuthScheme(byte[] b, int s, int e) {
        return equalsIgnoreCase(b, s, e, "bearer") || equalsIgnoreCase(b, s, e, "token") || equalsIgnoreCase(b, s, e, "basic");
    }

    static boolean equalsIgnoreCase(byte[] b, int s, int e, String w) {
        if (e - s != w.length()) return false;
        for (int i = 0; i < w.length(); i++) if (ByteClasses.lower(b[s + i]) != w.charAt(i)) return false;
        return true;
    }

    /** Cheap first test on a key name before the full classification. */
    private static final Words SECRET_HINTS = new Words("secret", "token", "key", "pass", "pwd", "auth", "cred", "bearer", "basic");
    private static final String[] SECRET_WORDS = {"secret", "token", "apikey", "api_key", "api-key", "accesskey",
        "access_key", "privatekey", "private_key", "credential", "bearer", "auth", "signingkey", "signing_key",
        "client_key", "master_key", "encryption_key", "session_key", "sessionkey", "basic", "key"};
    private static final String[] NOT_SECRET_WORDS = {"page", "next", "continuation", "cursor", "type", "expir",
        "public", "keyid", "key_id", "kid", "idempotency", "cache", "sort", "partition", "primary", "foreign",
        "hash", "checksum", "tokeniz", "count", "max_tokens", "tokens", "url", "uri", "name", "monkey",
        "turkey", "hockey", "keyword", "keys", "_at", "_in", "length", "prefix", "fingerprint", "format", "usage",
        "policy", "reference", "ref", "path", "file", "header", "method", "endpoint", "status", "scope"};
    private static final String[] PASSWORD_WORDS = {"password", "passwd", "pwd", "passphrase", "pass", "passcode",
        "db_pass", "pswd"};

    /** Classifies a key name: password-like, secret-like (AWS secret keys apart), or neither. */
    static int secretKeyKind(byte[] b, int s, int e) {
        char[] k = new char[e - s];
        for (int i = 0; i < k.length; i++) k[i] = (char) ByteClasses.lower(b[s + i]);
        String key = new String(k);
        for (String w : NOT_SECRET_WORDS) if (key.contains(w)) return KEY_NONE;
        for (String w : PASSWORD_WORDS) {
            if (key.equals(w) || key.endsWith("_" + w) || key.endsWith("-" + w) || key.endsWith("." + w)
                    || (w.length() > 4 && key.contains(w))) return KEY_PASSWORD;
        }
        if (key.contains("aws") && key.contains("secret")) return KEY_AWS_SECRET;
        for (String w : SECRET_WORDS) {
            if (w.equals("key")) {
                if (key.equals("key") || key.endsWith("_key") || key.endsWith("-key") || key.endsWith("key") && key.length() <= 8)
                    return KEY_SECRET;
            } else if (key.contains(w)) {
                return KEY_SECRET;
            }
        }
        return KEY_NONE;
    }

    /** After a password-like key: skips {@code ": "} / {@code =} and takes the value (any printable bytes). */
    private static int passwordAfterKey(byte[] b, int p, int to, List<Finding> out) {
        int lim = Math.min(to, p + 6);
        if (b[p] == '"' || b[p] == '\'') p++;
        while (p < lim && (b[p] == ' ' || b[p] == '\t')) p++;
        if (p >= lim || (b[p] != ':' && b[p] != '=')) return -1;
        p++;
        while (p < lim && (b[p] == ' ' || b[p] == '\t')) p++;
        if (p < to && (b[p] == '"' || b[p] == '\'')) p++;
        if (p >= to || b[p] == '{' || b[p] == '[' || b[p] == 'n' && VendorKeyCatalogue.contains(b, p, Math.min(to, p + 5), "null")) return -1;
        int e = passwordEnd(b, p, to);
        if (e < 0) return -1;
        add(out, "PASSWORD", DataClass.SECRET, p, e, Likelihood.LIKELY, "****");
        return e;
    }

    /** End of a password value: up to a quote, ampersand, whitespace or comma; 6..128 bytes, not a placeholder. */
    private static int passwordEnd(byte[] b, int s, int to) {
        int p = s;
        int lim = Math.min(to, s + 129);
        while (p < lim) {
            byte c = b[p];
            if (c == '"' || c == '\'' || c == '&' || c == ',' || c == ';' || c <= ' ' || c == '}' || c == '<') break;
            p++;
        }
        int n = p - s;
        if (n < 6 || n > 128) return -1;
        if (VendorKeyCatalogue.contains(b, s, p, "****") || VendorKeyCatalogue.contains(b, s, p, "xxxx")
                || VendorKeyCatalogue.contains(b, s, p, "XXXX") || VendorKeyCatalogue.contains(b, s, p, "REDACTED")
                || VendorKeyCatalogue.contains(b, s, p, "redacted") || VendorKeyCatalogue.contains(b, s, p, "${")
                || VendorKeyCatalogue.contains(b, s, p, "{{") || equalsIgnoreCase(b, s, p, "password")
                || equalsIgnoreCase(b, s, p, "required") || equalsIgnoreCase(b, s, p, "hidden")) return -1;
        return p;
    }

    /**
     * Generic high-entropy secrets and AWS secret access keys: a token next to a secret-like key name (or,
     * for AWS, within 300 bytes after an access key id) with enough variety to be random.
     */
    private int contextSecret(byte[] b, int i, int vend, int from, List<Finding> out, Scratch s) {
        int tl = vend - i;
        if (tl > 512) return -1;
        long key = keyNameBefore(b, from, i);
        boolean awsNear = s.lastAwsKeyIdEnd >= 0 && i - s.lastAwsKeyIdEnd < 300;
        if (key < 0 || !(awsNear || containsWord(b, keyStart(key), keyEnd(key), SECRET_HINTS))) return -1;
        int kind = secretKeyKind(b, keyStart(key), keyEnd(key));
        boolean awsShape = tl == 40 && allBits(b, i, vend, ByteClasses.B64);
        if (awsShape && (kind == KEY_AWS_SECRET || (s.lastAwsKeyIdEnd >= 0 && i - s.lastAwsKeyIdEnd < 300 && kind != KEY_NONE))) {
            if (!isPlaceholderOrExample(b, i, i, vend) && looksRandom(b, i, vend)) {
                add(out, "AWS_SECRET_ACCESS_KEY", DataClass.SECRET, i, vend, Likelihood.VERY_LIKELY, "****");
                return vend;
            }
        }
        if (kind == KEY_SECRET || kind == KEY_AWS_SECRET) {
            if (!isPlaceholderOrExample(b, i, i, vend) && looksRandom(b, i, vend)) {
                add(out, "GENERIC_SECRET", DataClass.SECRET, i, vend, Likelihood.LIKELY, Masking.prefix(b, i, 0));
                return vend;
            }
        }
        return -1;
    }

    /** Randomness heuristic: at least 10 distinct characters, and digits mixed with letters (or mixed case). */
    private static boolean looksRandom(byte[] b, int s, int e) {
        long lo = 0, hi = 0;
        boolean digit = false, upper = false, lowerCase = false;
        for (int i = s; i < e; i++) {
            int c = b[i] & 0x7f;
            if (c < 64) lo |= 1L << c;
            else hi |= 1L << (c - 64);
            if (c >= '0' && c <= '9') digit = true;
            else if (c >= 'A' && c <= 'Z') upper = true;
            else if (c >= 'a' && c <= 'z') lowerCase = true;
        }
        int distinct = Long.bitCount(lo) + Long.bitCount(hi);
        return distinct >= 10 && ((digit && (upper || lowerCase)) || (upper && lowerCase));
    }

    // ---------------------------------------------------------------- base64 layer

    private void decodeBase64(byte[] b, int s, int e, List<Finding> out, Scratch sc) {
        if (sc.b64Budget <= 0) return;
        if (sc.b64 == null) sc.b64 = new byte[MAX_B64_BLOB];
        // Look at a small prefix first: binary blobs (images, archives) are rejected after 96 chars.
        byte[] buf = sc.b64;
        byte[] head = sc.head;
        int hn = Base64Bytes.decode(b, s, Math.min(e, s + 96), head);
        if (hn < 12 || !printable(head, hn)) return;
        int limit = Math.min(e, s + MAX_B64_BLOB * 4 / 3);
        int n = Base64Bytes.decode(b, s, limit - (limit - s) % 4, buf);
        if (n <= 0 || !printable(buf, n)) return;
        sc.b64Budget -= n;
        var inner = new ArrayList<Finding>();
        var innerScratch = new Scratch();
        innerScratch.b64Budget = 0;
        scan(buf, 0, n, inner, 1, innerScratch);
        for (Finding f : inner) out.add(f.respanned(s, e));
    }

    private static boolean printable(byte[] b, int n) {
        int bad = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c < 0x09 || (c > 0x0d && c < 0x20) || c == 0x7f) bad++;
        }
        return bad * 20 <= n;
    }

    // ---------------------------------------------------------------- private keys

    private static int onDash(byte[] b, int i, int to, List<Finding> out, Scratch s) {
        if (i + 11 >= to || b[i + 1] != '-' || b[i + 4] != '-' || !VendorKeyCatalogue.contains(b, i, i + 11, "-----BEGIN ")) {
            // Skip the rest of a dash run in one step.
            int p = i + 1;
            while (p < to && b[p] == '-') p++;
            return p;
        }
        int lim = Math.min(to, i + 80);
        int headEnd = -1;
        for (int p = i + 11; p + 16 <= lim; p++) {
            if (b[p] == 'P' && VendorKeyCatalogue.contains(b, p, p + 16, "PRIVATE KEY")) {
                int q = p + 11;
                while (q < lim && b[q] != '-' && b[q] != '\n' && b[q] != '\\') q++;
                if (q + 5 <= to && VendorKeyCatalogue.contains(b, q, q + 5, "-----")) headEnd = q + 5;
                break;
            }
        }
        if (headEnd < 0) return i + 11;
        // Require a real body: at least 64 Base64 characters within the next 400 bytes.
        int b64 = 0;
        int p = headEnd;
        int lim2 = Math.min(to, headEnd + 400);
        for (; p < lim2 && b64 < 64; p++) {
            byte c = b[p];
            if (c == '\\' && p + 1 < lim2 && (b[p + 1] == 'n' || b[p + 1] == 'r')) {
                p++;
                continue;
            }
            if (ByteClasses.is(c, ByteClasses.B64)) b64++;
        }
        if (b64 < 64) return headEnd;
        int end = -1;
        int lim3 = Math.min(to, headEnd + 64 * 1024);
        // Searches for "-----END" never revisit bytes: remember how far the last search got and where it stopped.
        int q0 = headEnd;
        if (s.pemEndAt >= headEnd) q0 = s.pemEndAt;
        else if (s.pemSearchedTo > headEnd) q0 = Math.min(lim3, s.pemSearchedTo);
        for (int q = q0; q + 8 <= lim3; q++) {
            if (b[q] == '-' && VendorKeyCatalogue.contains(b, q, q + 8, "-----END")) {
                s.pemEndAt = q;
                int r = q + 8;
                while (r < lim3 && b[r] != '-' && b[r] != '\n' && b[r] != '"') r++;
                while (r < lim3 && b[r] == '-') r++;
                end = r;
                break;
            }
        }
        if (end < 0) {
            s.pemSearchedTo = Math.max(s.pemSearchedTo, lim3 - 8);
            end = headEnd;
            while (end < lim3 && (ByteClasses.is(b[end], ByteClasses.B64) || b[end] == '\n' || b[end] == '\r' || b[end] == '\\')) end++;
        }
        add(out, "PRIVATE_KEY", DataClass.SECRET, i, end, Likelihood.VERY_LIKELY,
                new String(b, i, headEnd - i, java.nio.charset.StandardCharsets.ISO_8859_1) + "****");
        return end;
    }

    // ---------------------------------------------------------------- email

    private static final Set<String> FILE_EXTENSIONS = Set.of("png", "jpg", "jpeg", "gif", "svg", "webp", "bmp", "ico",
            "js", "css", "json", "xml", "html", "htm", "txt", "pdf", "zip", "gz", "tar", "jar", "java", "py", "rb",
            "go", "ts", "md", "yml", "yaml", "lock", "mp4", "mp3", "wav", "woff", "woff2", "ttf", "tiff", "heic");

    private static int onAt(byte[] b, int at, int from, int to, List<Finding> out) {
        int p = at - 1;
        int lim = Math.max(from, at - 64);
        while (p >= lim && isLocal(b[p])) p--;
        int ls = p + 1;
        while (ls < at && (b[ls] == '.' || b[ls] == '-' || b[ls] == '+')) ls++;
        if (ls >= at || b[at - 1] == '.') return at + 1;
        // Domain: labels of [A-Za-z0-9-] separated by single dots; last label 2..24 letters.
        int q = at + 1, labels = 0, lastLabelStart = -1;
        int lim2 = Math.min(to, at + 1 + 253);
        while (q < lim2) {
            int st = q;
            while (q < lim2 && (ByteClasses.is(b[q], ByteClasses.ALNUM) || b[q] == '-')) q++;
            if (q == st || q - st > 63 || b[st] == '-' || b[q - 1] == '-') {
                q = st;
                break;
            }
            labels++;
            lastLabelStart = st;
            if (q + 1 < lim2 && b[q] == '.' && ByteClasses.is(b[q + 1], ByteClasses.ALNUM)) q++;
            else break;
        }
        if (labels < 2) return at + 1;
        int tl = q - lastLabelStart;
        if (tl < 2 || tl > 24 || !allBits(b, lastLabelStart, q, ByteClasses.UPPER | ByteClasses.LOWER)) return at + 1;
        var tld = new String(b, lastLabelStart, tl, java.nio.charset.StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
        if (FILE_EXTENSIONS.contains(tld)) return at + 1;
        Likelihood l = Likelihood.LIKELY;
        if (VendorKeyCatalogue.contains(b, at, q, "example.") || tld.equals("test") || tld.equals("invalid")) l = Likelihood.UNLIKELY;
        add(out, "EMAIL_ADDRESS", DataClass.PII, ls, q, l, Masking.email(b, ls, at, q));
        return q;
    }

    private static boolean isLocal(byte c) {
        return ByteClasses.is(c, ByteClasses.ALNUM) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
    }

    // ---------------------------------------------------------------- IPv6

    /** RFC 4291 text form: 1-4 hex digit groups, at most one "::", optional trailing dotted IPv4. */
    private static int ipv6(byte[] b, int i, int from, int to, List<Finding> out) {
        if (i > from && (b[i - 1] == ':' || ByteClasses.is(b[i - 1], WORD))) return -1;
        int p = i, groups = 0;
        boolean compressed = false;
        int lim = Math.min(to, i + 45);
        while (p < lim) {
            int st = p;
            while (p < lim && p - st < 5 && ByteClasses.is(b[p], ByteClasses.HEX)) p++;
            int len = p - st;
            if (len == 0 || len > 4) {
                if (len > 4) return -1;
                break;
            }
            groups++;
            if (p + 1 < lim && b[p] == ':' && b[p + 1] == ':') {
                if (compressed) return -1;
                compressed = true;
                p += 2;
                if (p >= lim || !ByteClasses.is(b[p], ByteClasses.HEX)) break;
            } else if (p < lim && b[p] == ':' && p + 1 < lim && ByteClasses.is(b[p + 1], ByteClasses.HEX)) {
                p++;
            } else {
                break;
            }
        }
        if (p < to && (ByteClasses.is(b[p], WORD) || b[p] == '.' || b[p] == ':')) {
            if (!(p < to && b[p] == ':' && compressed && b[p - 1] == ':')) return -1;
        }
        if (compressed ? groups > 7 : groups != 8) return -1;
        if (!compressed && groups < 8) return -1;
        if (groups < 3 && !(b[i] == 'f' || b[i] == 'F')) return -1;
        add(out, "IP_ADDRESS", DataClass.PII, i, p, Likelihood.POSSIBLE, Masking.ip(b, i, p));
        return p;
    }

    // ---------------------------------------------------------------- IBAN, NINO, NIE

    private static final Map<String, Integer> IBAN_LENGTHS = ibanLengths();

    private static Map<String, Integer> ibanLengths() {
        String spec = "AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 "
                + "ES24 FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 "
                + "LB28 LC32 LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 "
                + "RO24 RS22 SA24 SC31 SE24 SI19 SK24 SM27 TN24 TR26 UA29 VA22 VG24 XK20";
        var m = new java.util.HashMap<String, Integer>();
        for (String e : spec.split(" ")) m.put(e.substring(0, 2), Integer.parseInt(e.substring(2)));
        return Map.copyOf(m);
    }

    /** IBAN (ISO 13616): country length and mod-97 check; print format with groups of four accepted. */
    private static int iban(byte[] b, int i, int from, int to, List<Finding> out, Scratch s) {
        Integer len = IBAN_LENGTHS.get(new String(new char[] {(char) b[i], (char) b[i + 1]}));
        if (len == null) return -1;
        char[] c = s.chars;
        int n = 0, p = i, lastEnd = i;
        int lim = Math.min(to, i + 50);
        while (p < lim && n < 34) {
            byte x = b[p];
            if (ByteClasses.is(x, ByteClasses.UPPER | ByteClasses.DIGIT)) {
                c[n++] = (char) x;
                p++;
                lastEnd = p;
            } else if (x == ' ' && n % 4 == 0 && n < len && p + 1 < lim && ByteClasses.is(b[p + 1], ByteClasses.UPPER | ByteClasses.DIGIT)) {
                p++;
            } else {
                break;
            }
            if (n == len) break;
        }
        if (n != len) return -1;
        if (lastEnd < to && ByteClasses.is(b[lastEnd], WORD)) return -1;
        var re = new StringBuilder(len);
        re.append(c, 4, len - 4).append(c, 0, 4);
        if (Checksums.mod97(re) != 1) return -1;
        Likelihood l = hasContext(b, from, i, 40, IBAN_WORDS) ? Likelihood.VERY_LIKELY : Likelihood.LIKELY;
        add(out, "IBAN", DataClass.PII, i, lastEnd, l, Masking.digits(b, i, lastEnd));
        return lastEnd;
    }

    private static final Words IBAN_WORDS = new Words("iban", "account", "bank", "sepa");
    private static final Words NINO_WORDS = new Words("nino", "national insurance", "national_insurance", "ni_number", "ni number", "nationalinsurance");

    /** UK National Insurance number (HMRC NIM39110): prefix rules, six digits, suffix A-D. */
    private static int nino(byte[] b, int i, int from, int to, List<Finding> out, Scratch s) {
        byte a = b[i], c = b[i + 1];
        if ("DFIQUV".indexOf(a) >= 0 || "DFIOQUV".indexOf(c) >= 0) return -1;
        String pre = "" + (char) a + (char) c;
        if (pre.equals("BG") || pre.equals("GB") || pre.equals("KN") || pre.equals("NK") || pre.equals("NT")
                || pre.equals("TN") || pre.equals("ZZ")) return -1;
        int p = i + 2, digits = 0;
        int lim = Math.min(to, i + 14);
        while (p < lim && digits < 6) {
            if (isDigit(b[p])) {
                digits++;
                p++;
            } else if (b[p] == ' ' && digits % 2 == 0 && p + 1 < lim && isDigit(b[p + 1])) {
                p++;
            } else {
                break;
            }
        }
        if (digits != 6) return -1;
        if (p < lim && b[p] == ' ') p++;
        if (p >= to || b[p] < 'A' || b[p] > 'D') return -1;
        p++;
        if (p < to && ByteClasses.is(b[p], WORD)) return -1;
        Likelihood l = hasContext(b, from, i, 40, NINO_WORDS) ? Likelihood.VERY_LIKELY : Likelihood.POSSIBLE;
        add(out, "UK_NINO", DataClass.PII, i, p, l, Masking.digits(b, i, p));
        return p;
    }

    /** Spanish NIE: X/Y/Z + 7 digits + check letter (mod 23, with X=0, Y=1, Z=2). */
    private static int nie(byte[] b, int i, int from, int to, List<Finding> out) {
        int v = b[i] - 'X';
        for (int k = 1; k <= 7; k++) {
            if (!isDigit(b[i + k])) return -1;
            v = v * 10 + (b[i + k] - '0');
        }
        if (b[i + 8] != Checksums.DNI_LETTERS.charAt(v % 23)) return -1;
        Likelihood l = hasContext(b, from, i, 40, DNI_WORDS) ? Likelihood.VERY_LIKELY : Likelihood.LIKELY;
        add(out, "ES_NIE", DataClass.PII, i, i + 9, l, Masking.digits(b, i, i + 9));
        return i + 9;
    }

    // ---------------------------------------------------------------- digit runs

    private static final Words CARD_WORDS = new Words("card", "credit", "pan", "visa", "mastercard", "amex", "cc_", "ccnum",
        "cc-", "cc ", "\"cc\"", "payment", "debit");
    private static final Words SSN_WORDS = new Words("ssn", "social security", "social_security", "socialsecurity", "taxpayer", "tin");
    private static final Words AADHAAR_WORDS = new Words("aadhaar", "aadhar", "uidai", "uid");
    private static final Words DNI_WORDS = new Words("dni", "nif", "nie", "documento", "identidad");
    private static final Words DOB_WORDS = new Words("birth", "dob", "born", "bday", "birthday", "geburt", "naissance", "nacimiento");
    private static final Words PHONE_WORDS = new Words("phone", "tel", "mobile", "cell", "fax", "whatsapp", "sms", "msisdn", "call");
    private static final Words CVV_WORDS = new Words("cvv", "cvc", "csc", "cvn", "cid", "security_code", "securitycode",
        "security code", "card_code", "cardcode", "verification");
    private static final Words CODE_WORDS = new Words("code", "cvv", "cvc", "csc");
    private static final Set<String> TEST_CARDS = Set.of("4111111111111111", "4242424242424242", "4012888888881881",
            "4000056655665556", "5555555555554444", "5105105105105100", "5200828282828210", "378282246310005",
            "371449635398431", "6011111111111117", "6011000990139424", "3056930009020004", "36227206271667",
            "3566002020360505", "6200000000000005", "4000000000000002", "4000000000009995", "4000000000000077",
            "4111111111111", "4222222222222", "2223003122003222", "5454545454545454", "4000000000000010");
    private static final Set<String> SAMPLE_SSNS = Set.of("078051120", "219099999", "457555462", "123456789", "111111111",
            "222222222", "333333333", "444444444", "555555555", "777777777", "888888888", "987654320", "987654321");

    private int onDigit(byte[] b, int i, int from, int to, List<Finding> out, int depth, Scratch s) {
        // Digits glued to an identifier ("ORD-2024-0001", "v1.2", "id_123") are part of it, not data.
        if (i > from) {
            byte prev = b[i - 1];
            if ((prev == '-' || prev == '_' || prev == '#' || prev == '.') && i - 2 >= from
                    && ByteClasses.is(b[i - 2], ByteClasses.ALNUM)) {
                int p = i;
                while (p < to && (ByteClasses.is(b[p], WORD))) p++;
                return p;
            }
        }
        // Fast path: a number of one or two digits that no separator continues is nothing.
        int q = i;
        while (q < to && q - i < 3 && isDigit(b[q])) q++;
        if (q - i < 3 && (q + 1 >= to || !isDigit(b[q + 1]) || !isSeparator(b[q])) && (q >= to || !ByteClasses.is(b[q], WORD))) {
            if (q >= to || b[q] != ':') return q;
        }
        int[] d = s.digits;
        int n = 0, groups = 0, p = i;
        int lim = Math.min(to, i + 40);
        while (groups < 8) {
            s.groupStart[groups] = p;
            int st = p;
            while (p < lim && isDigit(b[p]) && n < 32) d[n++] = b[p++] - '0';
            if (p < lim && isDigit(b[p])) { // run longer than any data type: skip it whole
                while (p < to && ByteClasses.is(b[p], WORD)) p++;
                return p;
            }
            s.groupEnd[groups] = p;
            s.groupDigits[groups] = n;
            groups++;
            if (p + 1 < lim) {
                byte c = b[p];
                int sepLen = (c == ')' && b[p + 1] == ' ') ? 2 : 1;
                if ((c == ' ' || c == '-' || c == '.' || c == '/' || c == ')') && p + sepLen < lim && isDigit(b[p + sepLen])) {
                    s.seps[groups - 1] = c;
                    p += sepLen;
                    continue;
                }
            }
            break;
        }
        int runEnd = s.groupEnd[groups - 1];
        boolean glued = runEnd < to && ByteClasses.is(b[runEnd], ByteClasses.UPPER | ByteClasses.LOWER | ByteClasses.UNDERSCORE);
        if (runEnd < to && b[runEnd] == ':' && pii && groups == 1 && s.groupDigits[0] <= 4) {
            int e = ipv6(b, i, from, to, out);
            if (e >= 0) return e;
        }
        if (glued && groups == 1) {
            if (pii && n == 8 && isUpper(b[runEnd])) {
                int e = dni(b, i, from, to, runEnd, out, s);
                if (e >= 0) return e;
            }
            if (pii && n == 4 && s.groupDigits[0] == 4 && b[runEnd] == 'T') return runEnd; // times
            int wend = runEnd;
            while (wend < to && (BITS[b[wend] & 0xff] & WORD) != 0) wend++;
            return onWord(b, i, wend, from, to, out, depth, s);
        }
        for (int k = groups; k >= 1; k--) {
            int e = numeric(b, i, from, to, k, k == groups && glued, k == groups, out, s);
            if (e >= 0) return e;
        }
        if (pii && groups == 1 && n == 8 && runEnd + 1 < to && (b[runEnd] == '-' || b[runEnd] == ' ') && isUpper(b[runEnd + 1])) {
            int e = dni(b, i, from, to, runEnd + 1, out, s);
            if (e >= 0) return e;
        }
        return s.groupEnd[0];
    }

    /** Tries every numeric type on the first {@code k} groups; returns the end consumed, or -1. */
    private int numeric(byte[] b, int i, int from, int to, int k, boolean glued, boolean whole, List<Finding> out, Scratch s) {
        s.work++;
        int n = s.groupDigits[k - 1];
        if (n > 19 || (n < 7 && k != 1 && k != 3 && k != 4) || n < 3) return -1;
        int end = s.groupEnd[k - 1];
        int[] d = s.digits;
        byte sep = k > 1 ? s.seps[0] : 0;
        boolean consistent = true;
        for (int g = 1; g < k - 1; g++) if (s.seps[g] != sep) consistent = false;
        if (glued) {
            // A date directly followed by 'T' is an ISO timestamp: never data, consume it.
            if (k == 3 && b[end] == 'T' && isDate(s, k, d, sep)) return end;
            return -1;
        }
        if (pci && n >= 13 && n <= 19 && (k == 1 || (consistent && (sep == ' ' || sep == '-')))) {
            if (card(b, i, end, from, d, n, k, out)) return end;
        }
        if (pii && k == 3 && consistent && (sep == '-' || sep == ' ') && n == 9
                && s.groupDigits[0] == 3 && s.groupDigits[1] == 5) {
            if (ssn(b, i, end, from, d, true, out)) return end;
        }
        if (pii && k == 1 && n == 9 && hasContext(b, from, i, 40, SSN_WORDS)) {
            if (ssn(b, i, end, from, d, false, out)) return end;
        }
        if (k == 3 && consistent && (sep == '-' || sep == '/' || sep == '.') && isDate(s, k, d, sep)) {
            if (pii && hasContext(b, from, i, 48, DOB_WORDS)) {
                add(out, "DATE_OF_BIRTH", DataClass.PII, i, end, Likelihood.LIKELY, Masking.all(b, i, end));
            }
            return end;
        }
        if (k == 4 && consistent && sep == '.') {
            int e = ipv4(b, i, end, to, s, out);
            if (e >= 0 || !pii) return end;
        }
        if (pii && whole && n == 12 && (k == 1 || (k == 3 && consistent && (sep == ' ' || sep == '-')
                && s.groupDigits[0] == 4 && s.groupDigits[1] == 8)) && d[0] >= 2) {
            boolean ctx = Checksums.verhoeff(d, 12) && !allSame(d, 12) && (k == 3 || hasContext(b, from, i, 40, AADHAAR_WORDS));
            if (ctx) {
                ctx = k == 1 || hasContext(b, from, i, 40, AADHAAR_WORDS);
                add(out, "IN_AADHAAR", DataClass.PII, i, end, ctx ? Likelihood.VERY_LIKELY : Likelihood.POSSIBLE, Masking.digits(b, i, end));
                return end;
            }
        }
        if (pii && n >= 7 && n <= 15) {
            boolean plus = i > from && b[i - 1] == '+';
            boolean paren = i > from && b[i - 1] == '(';
            boolean formatted = k >= 2 && consistentPhoneSeps(s, k);
            boolean ssnShape = k == 3 && n == 9 && s.groupDigits[0] == 3 && s.groupDigits[1] == 5;
            boolean shaped = plus || ((paren || formatted) && n >= 10 && !ssnShape);
            boolean ctx = (shaped || n >= 10 || k > 1) && hasContext(b, from, i, 32, PHONE_WORDS);
            if ((shaped || ctx) && PhoneNumbers.valid(d, n, plus)) {
                int st = plus || paren ? i - 1 : i;
                add(out, "PHONE_NUMBER", DataClass.PII, st, end, ctx ? Likelihood.VERY_LIKELY : Likelihood.LIKELY, Masking.digits(b, st, end));
                return end;
            }
        }
        if (pci && k == 1 && (n == 3 || n == 4) && (end >= to || !ByteClasses.is(b[end], WORD)) && cvvContext(b, from, i, out)) {
            add(out, "CARD_SECURITY_CODE", DataClass.PCI, i, end, Likelihood.LIKELY, Masking.all(b, i, end));
            return end;
        }
        return -1;
    }

    private static boolean isSeparator(byte c) {
        return c == ' ' || c == '-' || c == '.' || c == '/' || c == ')';
    }

    private static boolean consistentPhoneSeps(Scratch s, int k) {
        for (int g = 0; g < k; g++) {
            int len = s.groupDigits[g] - (g == 0 ? 0 : s.groupDigits[g - 1]);
            if (len < 2 && g > 0) return false;
        }
        for (int g = 0; g < k - 1; g++) {
            byte c = s.seps[g];
            if (c != ' ' && c != '-' && c != '.' && c != ')') return false;
        }
        return true;
    }

    private static boolean allSame(int[] d, int n) {
        for (int i = 1; i < n; i++) if (d[i] != d[0]) return false;
        return true;
    }

    /** Payment card: Luhn plus the issuer's IIN range and length (Visa, Mastercard, Amex, Discover, JCB, Diners, UnionPay, Maestro). */
    private static boolean card(byte[] b, int i, int end, int from, int[] d, int n, int k, List<Finding> out) {
        if (allSame(d, n) || !issuer(d, n) || !Checksums.luhn(d, n)) return false;
        var sb = new StringBuilder(n);
        for (int x = 0; x < n; x++) sb.append((char) ('0' + d[x]));
        Likelihood l;
        if (TEST_CARDS.contains(sb.toString())) l = Likelihood.UNLIKELY;
        else if (hasContext(b, from, i, 48, CARD_WORDS)) l = Likelihood.VERY_LIKELY;
        else l = k > 1 ? Likelihood.LIKELY : Likelihood.POSSIBLE;
        add(out, "CREDIT_CARD_NUMBER", DataClass.PCI, i, end, l, Masking.digits(b, i, end));
        return true;
    }

    static boolean issuer(int[] d, int n) {
        int p2 = d[0] * 10 + d[1], p3 = p2 * 10 + d[2], p4 = p3 * 10 + d[3];
        int p6 = p4 * 100 + d[4] * 10 + d[5];
        if (d[0] == 4) return n == 13 || n == 16 || n == 19;                               // Visa
        if ((p2 >= 51 && p2 <= 55) || (p4 >= 2221 && p4 <= 2720)) return n == 16;           // Mastercard
        if (p2 == 34 || p2 == 37) return n == 15;                                           // Amex
        if (p4 == 6011 || (p3 >= 644 && p3 <= 649) || p2 == 65) return n >= 16 && n <= 19;  // Discover
        if (p6 >= 622126 && p6 <= 622925) return n >= 16 && n <= 19;                        // Discover/UnionPay co-brand
        if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19;                            // JCB
        if ((p3 >= 300 && p3 <= 305) || p2 == 36 || p2 == 38 || p2 == 39) return n >= 14 && n <= 19; // Diners
        if (p2 == 62) return n >= 16 && n <= 19;                                            // UnionPay
        if (p2 == 50 || (p2 >= 56 && p2 <= 69)) return n >= 16 && n <= 19;                 // Maestro (16-19 in practice)
        return false;
    }

    /** US SSN (SSA rules): area not 000, 666 or 900-999; group not 00; serial not 0000; not a known sample. */
    private static boolean ssn(byte[] b, int i, int end, int from, int[] d, boolean dashed, List<Finding> out) {
        int area = d[0] * 100 + d[1] * 10 + d[2], group = d[3] * 10 + d[4], serial = d[5] * 1000 + d[6] * 100 + d[7] * 10 + d[8];
        if (area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0) return false;
        var sb = new StringBuilder(9);
        for (int x = 0; x < 9; x++) sb.append((char) ('0' + d[x]));
        if (SAMPLE_SSNS.contains(sb.toString())) return false;
        boolean ctx = hasContext(b, from, i, 40, SSN_WORDS);
        add(out, "US_SSN", DataClass.PII, i, end, ctx ? Likelihood.VERY_LIKELY : Likelihood.POSSIBLE, Masking.digits(b, i, end));
        return true;
    }

    private static boolean isDate(Scratch s, int k, int[] d, byte sep) {
        int l0 = s.groupDigits[0], l1 = s.groupDigits[1] - l0, l2 = s.groupDigits[2] - s.groupDigits[1];
        int y, m, day;
        if (l0 == 4 && l1 <= 2 && l2 <= 2) {
            y = num(d, 0, 4);
            m = num(d, 4, 4 + l1);
            day = num(d, 4 + l1, 4 + l1 + l2);
        } else if (l0 <= 2 && l1 <= 2 && l2 == 4) {
            int a = num(d, 0, l0), c = num(d, l0, l0 + l1);
            y = num(d, l0 + l1, l0 + l1 + 4);
            // D/M/Y or M/D/Y: accept when either reading is a date.
            if (a <= 12 && c <= 31 && c >= 1) {
                m = a;
                day = c;
            } else {
                m = c;
                day = a;
            }
        } else {
            return false;
        }
        return y >= 1900 && y <= 2100 && m >= 1 && m <= 12 && day >= 1 && day <= 31;
    }

    private static int num(int[] d, int s, int e) {
        int v = 0;
        for (int i = s; i < e; i++) v = v * 10 + d[i];
        return v;
    }

    private int ipv4(byte[] b, int i, int end, int to, Scratch s, List<Finding> out) {
        int prev = 0;
        int[] octets = new int[4];
        for (int g = 0; g < 4; g++) {
            int len = s.groupDigits[g] - prev;
            if (len > 3) return -1;
            octets[g] = num(s.digits, prev, s.groupDigits[g]);
            if (octets[g] > 255) return -1;
            prev = s.groupDigits[g];
        }
        if (end < to && b[end] == '.' && end + 1 < to && isDigit(b[end + 1])) return -1;
        if (!pii) return -1;
        boolean loopbackOrUnspecified = octets[0] == 127 || octets[0] == 0 || (octets[0] == 255 && octets[3] == 255);
        if (loopbackOrUnspecified) return end;
        add(out, "IP_ADDRESS", DataClass.PII, i, end, Likelihood.POSSIBLE, Masking.ip(b, i, end));
        return end;
    }

    /** Spanish DNI: 8 digits and the check letter (number mod 23). */
    private static int dni(byte[] b, int i, int from, int to, int letterAt, List<Finding> out, Scratch s) {
        int v = num(s.digits, 0, 8);
        if (b[letterAt] != Checksums.DNI_LETTERS.charAt(v % 23)) return -1;
        int e = letterAt + 1;
        if (e < to && ByteClasses.is(b[e], WORD)) return -1;
        Likelihood l = hasContext(b, from, i, 40, DNI_WORDS) ? Likelihood.VERY_LIKELY : Likelihood.POSSIBLE;
        add(out, "ES_DNI", DataClass.PII, i, e, l, Masking.digits(b, i, e));
        return e;
    }

    /** A CVV only counts next to card context: its key is a security-code name, or a card number was just found. */
    private static boolean cvvContext(byte[] b, int from, int i, List<Finding> out) {
        long key = keyNameBefore(b, from, i);
        if (key >= 0) {
            if (containsWord(b, keyStart(key), keyEnd(key), CVV_WORDS)) return true;
        }
        if (!out.isEmpty()) {
            Finding last = out.get(out.size() - 1);
            if (last.type().equals("CREDIT_CARD_NUMBER") && i - last.end() < 160) {
                return hasContext(b, from, i, 24, CODE_WORDS);
            }
        }
        return false;
    }

    /**
     * Context words before a value. When the value has a key ({@code "name": value}, {@code name=value}) only the
     * key counts, so a neighbouring field ("birth_date" before "start_date") never lends its context; in prose,
     * any of {@code words} (lowercase, case-insensitive) in the {@code window} bytes before {@code pos}.
     */
    static boolean hasContext(byte[] b, int from, int pos, int window, Words words) {
        long key = keyNameBefore(b, from, pos);
        if (key >= 0) return containsWord(b, keyStart(key), keyEnd(key), words);
        return containsWord(b, Math.max(from, pos - window), pos, words);
    }

    static boolean hasContext(byte[] b, int from, int pos, int window, String[] words) {
        return hasContext(b, from, pos, window, new Words(words));
    }

    /** Lowercase context words, with a first-letter bit set built once so a look costs one bit test per byte. */
    static final class Words {
        final byte[][] words;
        /** Per byte value: the words that start with it (either case), in list order; null for none. */
        final byte[][][] byFirst = new byte[256][][];

        Words(String... words) {
            this.words = new byte[words.length][];
            for (int i = 0; i < words.length; i++) {
                this.words[i] = words[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            }
            for (int c = 0; c < 256; c++) {
                byte lc = ByteClasses.lower((byte) c);
                byte[][] ws = java.util.Arrays.stream(this.words).filter(w -> w[0] == lc).toArray(byte[][]::new);
                if (ws.length > 0) byFirst[c] = ws;
            }
        }
    }

    static boolean containsWord(byte[] b, int st, int pos, Words words) {
        byte[][][] byFirst = words.byFirst;
        for (int p = st; p < pos; p++) {
            byte[][] candidates = byFirst[b[p] & 0xff];
            if (candidates == null) continue;
            for (byte[] w : candidates) {
                if (p + w.length <= pos) {
                    int j = 1;
                    while (j < w.length && ByteClasses.lower(b[p + j]) == w[j]) j++;
                    if (j == w.length) return true;
                }
            }
        }
        return false;
    }

    /** Most findings kept per scan: memory stays bounded even on input made of nothing but candidates. */
    static final int MAX_FINDINGS = 100_000;

    private static void add(List<Finding> out, String type, DataClass c, int s, int e, Likelihood l, String masked) {
        if (out.size() >= MAX_FINDINGS) return;
        out.add(new Finding(type, c, s, e, "", l, masked));
    }
}
