package io.portcullis.discovery.code;

import io.portcullis.discovery.registry.HostClass;
import io.portcullis.discovery.registry.SourceLanguage;
import io.portcullis.discovery.registry.Vendor;
import io.portcullis.discovery.registry.VendorRegistry;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds vendor endpoints, SDK imports and secrets in one text file, in a single pass over its bytes.
 *
 * <p>Guarantees: linear time in the file size (hand-written byte matchers, no backtracking regexes); no
 * allocation for lines without a candidate (a dot inside a host-like run, or an import keyword at line
 * start); URLs are reported without query, fragment or user-info, so credentials in URLs never reach output;
 * bare host names (no scheme) are reported only when they are a registry vendor's API host; URLs to hosts
 * the registry does not know are not reported from comment lines (they are references, not calls).
 */
final class SourceScanner {
    private static final boolean[] HOST = new boolean[256];
    private static final boolean[] PATH_STOP = new boolean[256];
    private static final int MAX_DETAIL = 200;

    static {
        for (int c = 'a'; c <= 'z'; c++) {
            HOST[c] = true;
            HOST[c - 32] = true;
        }
        for (int c = '0'; c <= '9'; c++) {
            HOST[c] = true;
        }
        HOST['-'] = true;
        HOST['.'] = true;
        for (char c : " \t\"'`<>\\?#()[]{},;|^$*!".toCharArray()) {
            PATH_STOP[c] = true;
        }
        for (int c = 0; c < 32; c++) {
            PATH_STOP[c] = true;
        }
        PATH_STOP[127] = true;
    }

    private final VendorRegistry registry;
    private final SecretDetector secrets;
    private final long[] apiTlds;

    SourceScanner(VendorRegistry registry, SecretDetector secrets) {
        this.registry = registry;
        this.secrets = secrets;
        this.apiTlds = registry.apiTopLevelLabels().stream().filter(t -> t.length() <= 8).mapToLong(SourceScanner::key).sorted().toArray();
    }

    /**
     * Scans {@code b[0, length)}.
     *
     * @param language  the language whose imports to read, or null
     * @param endpoints whether to look for hosts and URLs (off for lock files)
     * @param findSecrets whether to run the secret detector (off for lock files)
     * @param unknownHosts whether URLs to hosts the registry does not know are reported (off for documentation)
     */
    void scan(byte[] b, int length, SourceLanguage language, boolean endpoints, boolean findSecrets, FileFindings out,
              boolean unknownHosts) {
        int line = 1;
        int pos = 0;
        boolean[] goBlock = {false};
        while (pos < length) {
            int eol = pos;
            while (eol < length && b[eol] != '\n') {
                eol++;
            }
            int end = eol > pos && b[eol - 1] == '\r' ? eol - 1 : eol;
            if (language != null) {
                imports(b, pos, end, line, language, goBlock, out);
            }
            if (endpoints) {
                hosts(b, pos, end, line, out, unknownHosts && !isCommentLine(b, pos, end));
            }
            pos = eol + 1;
            line++;
        }
        if (findSecrets) {
            List<SecretMatch> found = secrets.find(b, length);
            if (!found.isEmpty()) {
                SecretMatch[] sorted = found.toArray(SecretMatch[]::new);
                Arrays.sort(sorted, (x, y) -> Integer.compare(x.start(), y.start()));
                int at = 0;
                int ln = 1;
                for (SecretMatch m : sorted) {
                    int stop = Math.min(m.start(), length);
                    for (; at < stop; at++) {
                        if (b[at] == '\n') {
                            ln++;
                        }
                    }
                    String detail = m.type() + " " + m.maskedPreview();
                    out.add(FindingKind.SECRET, m.vendor(), ln, detail, "S" + ln + ':' + detail + ':' + m.start());
                }
            }
        }
    }

    // ---- hosts and URLs ----

    /**
     * True when the line is a comment in most languages and config formats ({@code //}, {@code #}, {@code *},
     * {@code /*}, {@code <!--}, {@code --}, {@code ;}): links to unknown hosts there are references, not calls.
     */
    static boolean isCommentLine(byte[] b, int start, int end) {
        int s = start;
        while (s < end && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        if (s >= end) {
            return false;
        }
        byte c = b[s];
        byte d = s + 1 < end ? b[s + 1] : 0;
        return c == '#' || c == ';' || c == '*' || (c == '/' && (d == '/' || d == '*')) || (c == '-' && d == '-')
                || (c == '<' && d == '!');
    }

    private void hosts(byte[] b, int start, int end, int line, FileFindings out, boolean unknownHosts) {
        for (int j = nextDot(b, start, end); j < end; j = nextDot(b, j + 1, end)) {
            int s = j;
            while (s > start && HOST[b[s - 1] & 0xff]) {
                s--;
            }
            int e = j + 1;
            while (e < end && HOST[b[e] & 0xff]) {
                e++;
            }
            candidate(b, start, s, e, end, line, out, unknownHosts);
            j = e;
        }
    }

    private static int nextDot(byte[] b, int from, int end) {
        for (int j = from; j < end; j++) {
            if (b[j] == '.') {
                return j;
            }
        }
        return end;
    }

    private void candidate(byte[] b, int lineStart, int s, int e, int lineEnd, int line, FileFindings out, boolean unknownHosts) {
        while (s < e && (b[s] == '.' || b[s] == '-')) {
            s++;
        }
        int hostEnd = e;
        while (hostEnd > s && (b[hostEnd - 1] == '.' || b[hostEnd - 1] == '-')) {
            hostEnd--;
        }
        if (hostEnd - s < 4 || hostEnd - s > 253) {
            return;
        }
        int lastDot = -1;
        for (int k = hostEnd - 1; k > s; k--) {
            if (b[k] == '.') {
                lastDot = k;
                break;
            }
        }
        if (lastDot < 0) {
            return;
        }
        int tldLen = hostEnd - lastDot - 1;
        boolean ipv4 = isDigits(b, lastDot + 1, hostEnd);
        if (!ipv4) {
            if (tldLen < 2 || tldLen > 24) {
                return;
            }
            for (int k = lastDot + 1; k < hostEnd; k++) {
                int c = b[k] | 0x20;
                if (c < 'a' || c > 'z') {
                    return;
                }
            }
        }
        // Is it the authority of a URL? Find "scheme://" right before it, allowing user-info.
        int authorityStart = s;
        if (s > lineStart && b[s - 1] == '@') {
            int k = s - 2;
            int limit = Math.max(lineStart, s - 256);
            while (k >= limit && b[k] != '/' && !PATH_STOP[b[k] & 0xff] && b[k] != '@') {
                k--;
            }
            authorityStart = k + 1;
        }
        boolean url = authorityStart - 3 >= lineStart && b[authorityStart - 1] == '/' && b[authorityStart - 2] == '/' && b[authorityStart - 3] == ':';
        if (!url) {
            if (s > lineStart && b[s - 1] == '@') {
                return; // an e-mail address
            }
            if (ipv4 || tldLen > 8 || Arrays.binarySearch(apiTlds, key(b, lastDot + 1, hostEnd)) < 0) {
                return; // bare names only count when they could be a registry API host
            }
        }
        String scheme = null;
        if (url) {
            int k = authorityStart - 4;
            while (k >= lineStart && isSchemeChar(b[k])) {
                k--;
            }
            scheme = new String(b, k + 1, authorityStart - 3 - (k + 1), StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
            if (scheme.isEmpty()) {
                return;
            }
        }
        String host = new String(b, s, hostEnd - s, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        // port and path
        // a trimmed trailing '.' or '-' was prose punctuation: then nothing after it belongs to the URL
        int p = e;
        String port = "";
        if (hostEnd == e && p < lineEnd && b[p] == ':') {
            int q = p + 1;
            while (q < lineEnd && q - p <= 5 && b[q] >= '0' && b[q] <= '9') {
                q++;
            }
            if (q > p + 1) {
                port = new String(b, p, q - p, StandardCharsets.US_ASCII);
                p = q;
            }
        }
        String path = "";
        if (p < lineEnd && b[p] == '/' && hostEnd == e) {
            int q = p;
            while (q < lineEnd && q - p < MAX_DETAIL && !PATH_STOP[b[q] & 0xff]) {
                q++;
            }
            while (q > p + 1 && (b[q - 1] == '.' || b[q - 1] == ':')) {
                q--;
            }
            path = redactPath(new String(b, p, q - p, StandardCharsets.UTF_8));
        }
        HostClass hc = registry.classify(host, path);
        String detail = url ? scheme + "://" + host + port + path : host + port + path;
        if (hc instanceof HostClass.Api api) {
            out.add(FindingKind.ENDPOINT, api.vendor().id(), line, detail);
        } else if (hc instanceof HostClass.Unknown && url && unknownHosts
                && (scheme.equals("https") || scheme.equals("http") || scheme.equals("wss") || scheme.equals("ws"))) {
            out.add(FindingKind.ENDPOINT, null, line, detail);
        }
    }

    /**
     * Replaces path segments that look like credentials or opaque IDs (webhook tokens in Slack- or
     * Discord-style URLs) with {@code {redacted}}: 20 characters or more, 12 or more mixing letters and digits,
     * or 16 digits or more.
     */
    static String redactPath(String path) {
        StringBuilder out = null;
        int segStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                String seg = path.substring(segStart, i);
                boolean letters = false, digits = false;
                for (int k = 0; k < seg.length(); k++) {
                    char c = seg.charAt(k);
                    letters |= Character.isLetter(c);
                    digits |= Character.isDigit(c);
                }
                if (seg.length() >= 20 || (seg.length() >= 12 && digits && (letters || seg.length() >= 16))) {
                    if (out == null) {
                        out = new StringBuilder(path.substring(0, segStart));
                    }
                    out.append("{redacted}");
                } else if (out != null) {
                    out.append(seg);
                }
                if (out != null && i < path.length()) {
                    out.append('/');
                }
                segStart = i + 1;
            }
        }
        return out == null ? path : out.toString();
    }

    private static boolean isDigits(byte[] b, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int k = from; k < to; k++) {
            if (b[k] < '0' || b[k] > '9') {
                return false;
            }
        }
        return true;
    }

    private static boolean isSchemeChar(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    private static long key(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return key(b, 0, b.length);
    }

    /** Packs up to 8 lowercase ASCII bytes into a long (for the TLD prefilter). */
    private static long key(byte[] b, int from, int to) {
        long k = 0;
        for (int i = from; i < to && i < from + 8; i++) {
            k = (k << 8) | ((b[i] | 0x20) & 0xff);
        }
        return k;
    }

    // ---- imports ----

    private void imports(byte[] b, int start, int end, int line, SourceLanguage lang, boolean[] goBlock, FileFindings out) {
        int s = start;
        while (s < end && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        if (s >= end) {
            return;
        }
        switch (lang) {
            case JAVA -> {
                if (startsWithWord(b, s, end, "import")) {
                    String rest = ascii(b, s + 6, end).trim();
                    if (rest.startsWith("static ")) {
                        rest = rest.substring(7).trim();
                    }
                    String module = cut(rest, " ;");
                    if (module.endsWith(".*")) {
                        module = module.substring(0, module.length() - 2);
                    }
                    sdk(lang, module, "import " + module, line, out);
                }
            }
            case PYTHON -> {
                if (startsWithWord(b, s, end, "import")) {
                    for (String part : ascii(b, s + 6, end).split(",")) {
                        String module = cut(part.trim(), " #;");
                        sdk(lang, module, "import " + module, line, out);
                    }
                } else if (startsWithWord(b, s, end, "from")) {
                    String module = cut(ascii(b, s + 4, end).trim(), " ");
                    if (!module.startsWith(".")) {
                        sdk(lang, module, "from " + module + " import", line, out);
                    }
                }
            }
            case GO -> {
                if (goBlock[0]) {
                    if (b[s] == ')') {
                        goBlock[0] = false;
                    } else {
                        String module = quoted(ascii(b, s, end));
                        sdk(lang, module, "import \"" + module + "\"", line, out);
                    }
                } else if (startsWithWord(b, s, end, "import")) {
                    String rest = ascii(b, s + 6, end).trim();
                    if (rest.startsWith("(")) {
                        goBlock[0] = !rest.contains(")");
                        String module = quoted(rest);
                        sdk(lang, module, "import \"" + module + "\"", line, out);
                    } else {
                        String module = quoted(rest);
                        sdk(lang, module, "import \"" + module + "\"", line, out);
                    }
                }
            }
            case JAVASCRIPT -> {
                int r = indexOf(b, s, end, "require(");
                if (r >= 0) {
                    String module = quoted(ascii(b, r + 8, end));
                    sdk(lang, module, "require('" + module + "')", line, out);
                }
                int d = indexOf(b, s, end, "import(");
                if (d >= 0) {
                    String module = quoted(ascii(b, d + 7, end));
                    sdk(lang, module, "import('" + module + "')", line, out);
                }
                boolean starts = startsWithWord(b, s, end, "import") || startsWithWord(b, s, end, "export") || b[s] == '}';
                if (starts) {
                    int f = indexOf(b, s, end, "from ");
                    String module = f >= 0 ? quoted(ascii(b, f + 5, end))
                            : startsWithWord(b, s, end, "import") ? quoted(ascii(b, s + 6, end)) : null;
                    if (module != null && (f >= 0 || ascii(b, s + 6, end).trim().matches("^['\"].*"))) {
                        sdk(lang, module, "import '" + module + "'", line, out);
                    }
                }
            }
            case RUBY -> {
                if (startsWithWord(b, s, end, "require")) {
                    String module = quoted(ascii(b, s + 7, end));
                    sdk(lang, module, "require '" + module + "'", line, out);
                }
            }
            case PHP -> {
                if (startsWithWord(b, s, end, "use")) {
                    String rest = ascii(b, s + 3, end).trim();
                    if (rest.startsWith("function ") || rest.startsWith("const ")) {
                        rest = rest.substring(rest.indexOf(' ') + 1).trim();
                    }
                    String module = cut(rest, " ;{,");
                    if (module.startsWith("\\")) {
                        module = module.substring(1);
                    }
                    while (module.endsWith("\\")) {
                        module = module.substring(0, module.length() - 1);
                    }
                    sdk(lang, module, "use " + module, line, out);
                }
            }
            case CSHARP -> {
                int at = s;
                if (startsWithWord(b, s, end, "global")) {
                    at = s + 6;
                    while (at < end && b[at] == ' ') {
                        at++;
                    }
                }
                if (startsWithWord(b, at, end, "using")) {
                    String rest = ascii(b, at + 5, end).trim();
                    if (rest.startsWith("(") || rest.startsWith("var ")) {
                        return; // a using statement, not a directive
                    }
                    if (rest.startsWith("static ")) {
                        rest = rest.substring(7).trim();
                    }
                    int eq = rest.indexOf('=');
                    if (eq >= 0) {
                        rest = rest.substring(eq + 1).trim();
                    }
                    String module = cut(rest, " ;");
                    sdk(lang, module, "using " + module, line, out);
                }
            }
        }
    }

    private void sdk(SourceLanguage lang, String module, String detail, int line, FileFindings out) {
        if (module == null || module.isEmpty() || module.length() > 300) {
            return;
        }
        Optional<Vendor> v = registry.vendorForImport(lang, module);
        if (v.isPresent()) {
            out.add(FindingKind.SDK, v.get().id(), line, detail, "SDK\u0000" + v.get().id());
        }
    }

    private static boolean startsWithWord(byte[] b, int s, int end, String word) {
        int n = word.length();
        if (s + n > end) {
            return false;
        }
        for (int k = 0; k < n; k++) {
            if (b[s + k] != word.charAt(k)) {
                return false;
            }
        }
        if (s + n == end) {
            return true;
        }
        byte next = b[s + n];
        return next == ' ' || next == '\t' || next == '(' || next == '"' || next == '\'' || next == '{';
    }

    private static int indexOf(byte[] b, int from, int to, String needle) {
        int n = needle.length();
        byte first = (byte) needle.charAt(0);
        outer:
        for (int i = from; i + n <= to; i++) {
            if (b[i] != first) {
                continue;
            }
            for (int k = 1; k < n; k++) {
                if (b[i + k] != needle.charAt(k)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String ascii(byte[] b, int from, int to) {
        return from >= to ? "" : new String(b, from, Math.min(to - from, 1000), StandardCharsets.UTF_8);
    }

    /** The text before the first of the stop characters. */
    private static String cut(String s, String stops) {
        for (int i = 0; i < s.length(); i++) {
            if (stops.indexOf(s.charAt(i)) >= 0) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    /** The content of the first quoted string ('...', "..." or `...`), or null. */
    private static String quoted(String s) {
        for (int i = 0; i < s.length(); i++) {
            char q = s.charAt(i);
            if (q == '\'' || q == '"' || q == '`') {
                int close = s.indexOf(q, i + 1);
                return close < 0 ? null : s.substring(i + 1, close);
            }
        }
        return null;
    }
}
