package io.portcullis.inspect.dlp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds sensitive data (card numbers, personal data, credentials, custom patterns) in bytes.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Immutable and thread-safe.</b> One engine serves every exchange; scans share no mutable state.</li>
 *   <li><b>Linear time, bounded memory.</b> The candidate pass reads each byte once through a 256-entry class
 *       table; every validator looks at a window of constant size; custom patterns run on RE2/J. Decoding
 *       layers are capped: Base64 blobs at {@value TextScanner#MAX_B64_BLOB} bytes each and
 *       {@value TextScanner#MAX_B64_TOTAL} per scan, compressed bodies at {@link #maxDecodedBytes()} and a
 *       ratio of {@link #maxDecodeRatio()}:1.</li>
 *   <li><b>No raw values.</b> A {@link Finding} carries a span and a masked preview, never the value.</li>
 *   <li><b>Cost independent of the vendor catalogue size.</b> Vendor keys are found through a prefix trie
 *       walked only at word starts, so adding vendors does not slow the scan.</li>
 *   <li><b>Never throws on input.</b> Any bytes, including malformed JSON, encodings and multipart, scan.</li>
 * </ul>
 *
 * <h2>Structure</h2>
 * {@link #scanBody} decodes {@code Content-Encoding}, then reads JSON (findings carry
 * {@code $.customer.card.number}; strings written with {@code \\uXXXX} or {@code \\/} escapes are decoded,
 * see {@link #scanJsonText}), {@code application/x-www-form-urlencoded} (field names, URL-decoded
 * values), {@code multipart/form-data} (text parts) or plain text. {@link #scanQuery} and
 * {@link #scanHeaders} cover the rest of a request. The built-in types are listed in {@link DlpTypes}.
 */
public final class DlpEngine {
    private final TextScanner scanner;
    private final List<CustomDetector> custom;
    private final long maxDecodedBytes;
    private final int maxDecodeRatio;

    private DlpEngine(TextScanner scanner, List<CustomDetector> custom, long maxDecodedBytes, int maxDecodeRatio) {
        this.scanner = scanner;
        this.custom = List.copyOf(custom);
        this.maxDecodedBytes = maxDecodedBytes;
        this.maxDecodeRatio = maxDecodeRatio;
    }

    /** Every built-in detector (PCI, PII, SECRET). */
    public static DlpEngine builtIn() {
        return builder().build();
    }

    /** Only the SECRET detectors: for repository scanning, where personal data detectors are noise. */
    public static DlpEngine secretsOnly() {
        return builder().classes(false, false, true).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds engines; defaults: all classes, every vendor rule, no custom detectors, 8 MiB / 100:1 decoding caps. */
    public static final class Builder {
        private boolean pci = true, pii = true, secrets = true;
        private List<VendorKeyRule> vendorRules = VendorKeyCatalogue.ALL;
        private final List<CustomDetector> custom = new ArrayList<>();
        private long maxDecodedBytes = 8L << 20;
        private int maxDecodeRatio = 100;

        public Builder classes(boolean pci, boolean pii, boolean secrets) {
            this.pci = pci;
            this.pii = pii;
            this.secrets = secrets;
            return this;
        }

        /** Keeps only the first {@code n} vendor key rules (benchmarks show the cost does not depend on n). */
        public Builder vendorRuleLimit(int n) {
            vendorRules = VendorKeyCatalogue.ALL.subList(0, Math.min(n, VendorKeyCatalogue.ALL.size()));
            return this;
        }

        public Builder custom(List<CustomDetector> detectors) {
            custom.addAll(detectors);
            return this;
        }

        public Builder decodingLimits(long maxBytes, int maxRatio) {
            if (maxBytes < 1 || maxRatio < 1) throw new IllegalArgumentException("limits must be positive");
            this.maxDecodedBytes = maxBytes;
            this.maxDecodeRatio = maxRatio;
            return this;
        }

        public DlpEngine build() {
            return new DlpEngine(new TextScanner(vendorRules, pci, pii, secrets), custom, maxDecodedBytes, maxDecodeRatio);
        }
    }

    public long maxDecodedBytes() {
        return maxDecodedBytes;
    }

    public int maxDecodeRatio() {
        return maxDecodeRatio;
    }

    /** Number of vendor key rules in use. */
    public static int vendorRuleCount() {
        return VendorKeyCatalogue.ALL.size();
    }

    // ---------------------------------------------------------------- plain bytes

    /** Scans {@code b[off..off+len)} as text; spans are offsets into {@code b}; no paths. */
    public List<Finding> scanText(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        var out = new ArrayList<Finding>();
        scanRaw(b, off, off + len, out, TextScanner.Scratch.forThisThread());
        return out;
    }

    private void scanRaw(byte[] b, int from, int to, List<Finding> out, TextScanner.Scratch s) {
        scanner.scan(b, from, to, out, 0, s);
        for (CustomDetector c : custom) c.scan(b, from, to, out);
        if (!custom.isEmpty()) out.sort(Comparator.comparingLong(Finding::start));
    }

    /**
     * Scans {@code b[off..off+len)} as JSON text (no paths): the raw bytes, and the decoded form of strings that
     * hide characters behind {@code \\uXXXX} or {@code \/} escapes (see {@link JsonEscapes}); spans are raw offsets.
     * The decoding only starts when the candidate pass stepped on a backslash. Also works on a window of a stream.
     */
    public List<Finding> scanJsonText(byte[] b, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        var out = new ArrayList<Finding>();
        var s = TextScanner.Scratch.forThisThread();
        scanRaw(b, off, off + len, out, s);
        int first = s.firstBackslash, last = s.lastBackslash;
        if (first < 0) return out;
        JsonEscapes.scan(b, off, off + len, first, last, out, (dec, from, to, found) -> {
            // A nested scan: its own scratch, so the outer scan's state is not disturbed.
            scanRaw(dec, from, to, found, new TextScanner.Scratch());
        });
        return out;
    }

    public List<Finding> scanText(byte[] b) {
        return scanText(b, 0, b.length);
    }

    /** Scans with structure guessed from the bytes: JSON if it starts with '{' or '[', form if it looks like one, else text. */
    public List<Finding> scan(byte[] b) {
        return switch (sniff(b)) {
            case JSON -> scanJson(b, 0, b.length, "$");
            case FORM -> scanForm(b, 0, b.length, "");
            default -> scanText(b);
        };
    }

    // ---------------------------------------------------------------- bodies

    enum Kind { JSON, FORM, MULTIPART, TEXT, BINARY }

    /**
     * Scans a request or response body given its {@code Content-Type} and {@code Content-Encoding} (either may
     * be null). Spans refer to the decoded body. Bodies of binary types (images, archives, octet-stream) are
     * not inspected beyond Base64 text inside text types.
     */
    public DlpReport scanBody(byte[] body, String contentType, String contentEncoding) {
        var decoded = BodyDecoder.decode(body, contentEncoding, maxDecodedBytes, maxDecodeRatio);
        byte[] b = decoded.bytes();
        Kind kind = kindOf(contentType, b);
        List<Finding> findings = switch (kind) {
            case JSON -> scanJson(b, 0, b.length, "$");
            case FORM -> scanForm(b, 0, b.length, "");
            case MULTIPART -> scanMultipart(b, boundaryOf(contentType));
            case TEXT -> scanText(b);
            case BINARY -> List.of();
        };
        return new DlpReport(findings, decoded.incomplete());
    }

    static Kind kindOf(String contentType, byte[] b) {
        if (contentType == null || contentType.isBlank()) return sniff(b);
        String ct = contentType.toLowerCase(Locale.ROOT);
        int semi = ct.indexOf(';');
        String mt = (semi < 0 ? ct : ct.substring(0, semi)).trim();
        if (mt.equals("application/json") || mt.endsWith("+json") || mt.equals("text/json")) return Kind.JSON;
        if (mt.equals("application/x-www-form-urlencoded")) return Kind.FORM;
        if (mt.startsWith("multipart/")) return Kind.MULTIPART;
        if (mt.startsWith("text/") || mt.endsWith("+xml") || mt.equals("application/xml")
                || mt.equals("application/graphql") || mt.equals("application/javascript")
                || mt.equals("application/x-ndjson") || mt.equals("application/jsonl")) return Kind.TEXT;
        if (mt.startsWith("image/") || mt.startsWith("audio/") || mt.startsWith("video/") || mt.equals("application/zip")
                || mt.equals("application/pdf") || mt.equals("application/octet-stream")) return Kind.BINARY;
        return sniff(b);
    }

    static Kind sniff(byte[] b) {
        int i = 0;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) i++;
        if (i < b.length && (b[i] == '{' || b[i] == '[')) return Kind.JSON;
        // A form body: key=value pairs joined by '&', no whitespace.
        int eq = 0, lim = Math.min(b.length, 4096);
        for (int k = 0; k < lim; k++) {
            byte c = b[k];
            if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '"' || c == '{') return Kind.TEXT;
            if (c == '=') eq++;
        }
        return eq > 0 ? Kind.FORM : Kind.TEXT;
    }

    /** JSON: scan the bytes, then attach each finding's path by following the document up to its offset. */
    List<Finding> scanJson(byte[] b, int off, int end, String rootPrefix) {
        List<Finding> raw = scanJsonText(b, off, end - off);
        if (raw.isEmpty()) return raw;
        var tracker = new JsonPathTracker();
        var out = new ArrayList<Finding>(raw.size());
        int pos = off;
        for (Finding f : raw) {
            int s = (int) f.start();
            if (s > pos) {
                tracker.advance(b, pos, s - pos);
                pos = s;
            }
            String p = tracker.path();
            out.add(f.withPath(rootPrefix.equals("$") ? p : rootPrefix + p.substring(1)));
        }
        return out;
    }

    /** application/x-www-form-urlencoded: one scan per pair, URL-decoding pairs that need it. */
    List<Finding> scanForm(byte[] b, int off, int end, String pathPrefix) {
        var out = new ArrayList<Finding>();
        int ps = off;
        while (ps < end) {
            int pe = ps;
            while (pe < end && b[pe] != '&') pe++;
            scanPair(b, ps, pe, pathPrefix, out);
            ps = pe + 1;
        }
        return out;
    }

    private void scanPair(byte[] b, int ps, int pe, String pathPrefix, List<Finding> out) {
        if (pe <= ps) return;
        int eq = ps;
        while (eq < pe && b[eq] != '=') eq++;
        boolean encoded = false;
        for (int i = ps; i < pe; i++) if (b[i] == '%' || b[i] == '+') encoded = true;
        int vs = Math.min(eq + 1, pe);
        if (!encoded) {
            String path = null; // made only when something is found
            for (Finding f : scanText(b, ps, pe - ps)) {
                if (f.end() <= vs) continue;
                if (path == null) path = pathPrefix + urlDecode(b, ps, eq);
                out.add(f.withPath(path));
            }
            return;
        }
        String path = pathPrefix + urlDecode(b, ps, eq);
        // Decode "name=value" (bounded by the pair's size) so key context survives; findings map to the raw value.
        byte[] dec = urlDecodeBytes(b, ps, pe);
        int decEq = 0;
        while (decEq < dec.length && dec[decEq] != '=') decEq++;
        for (Finding f : scanText(dec, 0, dec.length)) {
            if (f.end() <= decEq + 1) continue;
            out.add(f.respanned(vs, pe).withPath(path));
        }
    }

    /** The query string of a URL (without '?'); findings carry {@code query.name}; spans refer to the query string. */
    public List<Finding> scanQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) return List.of();
        byte[] b = rawQuery.getBytes(StandardCharsets.UTF_8);
        return scanForm(b, 0, b.length, "query.");
    }

    /**
     * Header values; findings carry {@code header.Name} and spans relative to the value. Pseudo-headers and
     * {@code Host} are skipped (routing data, not payload).
     */
    public List<Finding> scanHeaders(Iterable<? extends Map.Entry<String, String>> headers) {
        var out = new ArrayList<Finding>();
        for (var h : headers) {
            String name = h.getKey();
            if (name == null || name.startsWith(":") || name.equalsIgnoreCase("host")) continue;
            byte[] line = (name + ": " + (h.getValue() == null ? "" : h.getValue())).getBytes(StandardCharsets.UTF_8);
            int vs = name.getBytes(StandardCharsets.UTF_8).length + 2;
            for (Finding f : scanText(line)) {
                if (f.end() <= vs) continue;
                out.add(f.respanned(Math.max(0, f.start() - vs), f.end() - vs).withPath("header." + name));
            }
        }
        return out;
    }

    /** multipart/form-data: text parts are scanned (JSON parts with paths); file parts of binary types are not. */
    List<Finding> scanMultipart(byte[] b, String boundary) {
        if (boundary == null || boundary.isEmpty()) return scanText(b);
        byte[] delim = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        var out = new ArrayList<Finding>();
        int p = indexOf(b, delim, 0);
        while (p >= 0) {
            int hs = p + delim.length;
            if (hs + 1 < b.length && b[hs] == '-' && b[hs + 1] == '-') break;
            int next = indexOf(b, delim, hs);
            int partEnd = next < 0 ? b.length : next;
            int he = indexOf(b, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), hs);
            int bodyStart;
            if (he < 0 || he > partEnd) {
                he = indexOf(b, "\n\n".getBytes(StandardCharsets.ISO_8859_1), hs);
                if (he < 0 || he > partEnd) break;
                bodyStart = he + 2;
            } else {
                bodyStart = he + 4;
            }
            String headers = new String(b, hs, he - hs, StandardCharsets.ISO_8859_1);
            int bodyEnd = partEnd;
            if (bodyEnd >= 2 && b[bodyEnd - 1] == '\n') bodyEnd--;
            if (bodyEnd >= 1 && bodyEnd > bodyStart && b[bodyEnd - 1] == '\r') bodyEnd--;
            String name = headerParam(headers, "name");
            String ctype = headerValue(headers, "content-type");
            String prefix = "part." + (name == null ? "?" : name);
            if (bodyEnd > bodyStart) {
                Kind kind = ctype == null ? Kind.TEXT : kindOf(ctype, java.util.Arrays.copyOfRange(b, bodyStart, Math.min(bodyEnd, bodyStart + 64)));
                if (ctype == null && sniffAt(b, bodyStart, bodyEnd) == Kind.JSON) kind = Kind.JSON;
                switch (kind) {
                    case JSON -> out.addAll(scanJson(b, bodyStart, bodyEnd, prefix + "$"));
                    case FORM -> out.addAll(scanForm(b, bodyStart, bodyEnd, prefix + "."));
                    case TEXT -> scanText(b, bodyStart, bodyEnd - bodyStart).forEach(f -> out.add(f.withPath(prefix)));
                    default -> { }
                }
            }
            p = next;
        }
        return out;
    }

    private static Kind sniffAt(byte[] b, int s, int e) {
        while (s < e && (b[s] == ' ' || b[s] == '\n' || b[s] == '\r' || b[s] == '\t')) s++;
        return s < e && (b[s] == '{' || b[s] == '[') ? Kind.JSON : Kind.TEXT;
    }

    static String boundaryOf(String contentType) {
        if (contentType == null) return null;
        return headerParam(contentType, "boundary");
    }

    private static String headerParam(String headers, String param) {
        String lower = headers.toLowerCase(Locale.ROOT);
        int i = lower.indexOf(param + "=");
        while (i > 0 && Character.isLetterOrDigit(lower.charAt(i - 1))) i = lower.indexOf(param + "=", i + 1);
        if (i < 0) return null;
        int s = i + param.length() + 1;
        if (s < headers.length() && headers.charAt(s) == '"') {
            int e = headers.indexOf('"', s + 1);
            return e < 0 ? null : headers.substring(s + 1, e);
        }
        int e = s;
        while (e < headers.length() && headers.charAt(e) != ';' && headers.charAt(e) != '\r' && headers.charAt(e) != '\n'
                && headers.charAt(e) != ' ') e++;
        return headers.substring(s, e);
    }

    private static String headerValue(String headers, String name) {
        for (String line : headers.split("\r?\n")) {
            int c = line.indexOf(':');
            if (c > 0 && line.substring(0, c).trim().equalsIgnoreCase(name)) return line.substring(c + 1).trim();
        }
        return null;
    }

    static int indexOf(byte[] b, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i + needle.length <= b.length; i++) {
            if (b[i] != needle[0]) continue;
            for (int j = 1; j < needle.length; j++) if (b[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    static String urlDecode(byte[] b, int s, int e) {
        return new String(urlDecodeBytes(b, s, e), StandardCharsets.UTF_8);
    }

    /** Percent-decoding and '+' as space; malformed escapes are kept literally. Output is never longer than input. */
    static byte[] urlDecodeBytes(byte[] b, int s, int e) {
        byte[] out = new byte[e - s];
        int n = 0;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '+') {
                out[n++] = ' ';
            } else if (c == '%' && i + 2 < e && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
                out[n++] = (byte) (hex(b[i + 1]) << 4 | hex(b[i + 2]));
                i += 2;
            } else {
                out[n++] = c;
            }
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static int hex(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
