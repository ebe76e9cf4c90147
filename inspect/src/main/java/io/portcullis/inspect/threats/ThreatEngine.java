package io.portcullis.inspect.threats;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Detects injection payloads (see {@link ThreatCategory}) in strings received from third parties.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li><b>Linear time.</b> Every detector is a hand-written tokenizer or small grammar that reads its input a bounded
 *       number of times; no backtracking regular expression ever sees input. Each value is decoded at most
 *       {@link TextDecoder#MAX_PASSES} times (percent, HTML entity, backslash escapes), so cost is O(length).</li>
 *   <li><b>No exceptions on input.</b> Any value, any bytes: scanning returns a {@link ThreatReport}. Bodies that cannot
 *       be parsed (truncated, invalid UTF-8, nesting deeper than {@link #MAX_DEPTH}, duplicate keys, trailing data)
 *       yield {@link ThreatReport#malformed()} with a short reason and keep the findings seen so far. Only I/O errors
 *       of a caller-supplied stream propagate.</li>
 *   <li><b>No payload echo.</b> A finding carries a fixed reason and an excerpt of at most
 *       {@link ThreatFinding#MAX_EXCERPT} characters; never the whole value.</li>
 *   <li><b>Paths.</b> JSON findings carry the JSON path of the value or key ({@code $.data[3].name}); form findings the
 *       decoded field name; XML findings {@code xml}.</li>
 *   <li><b>Thread safety.</b> An engine is immutable and may be shared by any number of threads.</li>
 * </ul>
 * Findings below the threshold (default {@link #DEFAULT_THRESHOLD}) are not reported.
 */
public final class ThreatEngine {
    public static final int DEFAULT_THRESHOLD = 60;
    /** Maximum JSON nesting depth accepted; deeper bodies are reported malformed, not parsed further. */
    public static final int MAX_DEPTH = 512;
    /** Maximum number of XML text/tag nodes inspected; larger bodies are reported malformed (never silently cut). */
    public static final int MAX_XML_NODES = 200_000;

    private final int threshold;
    private final JsonFactory json;

    public ThreatEngine() {
        this(DEFAULT_THRESHOLD);
    }

    public ThreatEngine(int threshold) {
        if (threshold < 1 || threshold > 100) throw new IllegalArgumentException("threshold must be 1..100");
        this.threshold = threshold;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(10_000).maxStringLength(64 * 1024 * 1024).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    // ------------------------------------------------------------------ single values

    /** Scans one string value of unknown origin (treated as a JSON string value). Never throws for any input. */
    public ThreatReport scanValue(String value) {
        return scanValue(value, ValueContext.JSON_VALUE);
    }

    /** Scans one string value; the context decides decodings (see {@link ValueContext}). Never throws for any input. */
    public ThreatReport scanValue(String value, ValueContext context) {
        List<ThreatFinding> out = new ArrayList<>(1);
        Hits hits = new Hits();
        inspect(value, context, hits);
        hits.drainTo(out, threshold, "");
        return out.isEmpty() ? ThreatReport.CLEAN : new ThreatReport(out, null);
    }

    // Trigger classes: one pass over a value computes which detectors can possibly match it.
    static final int T_QUOTE = 1, T_LT = 1 << 1, T_COLON = 1 << 2, T_SHELL = 1 << 3, T_PATH = 1 << 4, T_TEMPLATE = 1 << 5,
            T_URL = 1 << 6, T_DECL = 1 << 7, T_PAREN = 1 << 8, T_DOLLAR = 1 << 9, T_DECODE = 1 << 10, T_SQLSTART = 1 << 11,
            T_SLASH = 1 << 12;

    static int triggers(String s) {
        char[] b = s.toCharArray();
        return triggers(b, 0, b.length);
    }

    private static final boolean[] SPECIAL = new boolean[128];

    static {
        for (char c : "'\"`<:;|&\n\r$./\\{@#*()%+[\0".toCharArray()) SPECIAL[c] = true;
    }

    /** One linear pass over s[off, off+len): which trigger classes occur. 0 means no detector can match: the value is clean. */
    static int triggers(char[] s, int off, int len) {
        int m = 0;
        for (int i = 0; i < len; i++) {
            char c = s[off + i];
            if (c < 128) {
                if (!SPECIAL[c]) continue; // letters, digits, space, ordinary punctuation
            } else if (c != '\u2215' && c != '\u2216' && c != '\uff0f' && c != '\uff3c' && c != '\u2044' && c != '\uff1c' && c != '\ufe64') {
                continue;
            }
            switch (c) {
                case '\'', '"' -> m |= T_QUOTE;
                case '`' -> m |= T_QUOTE | T_SHELL;
                case '<' -> m |= T_LT | (i + 1 < len && s[off + i + 1] == '!' ? T_DECL : 0) | (i + 1 < len && s[off + i + 1] == '%' ? T_TEMPLATE : 0);
                case ':' -> m |= T_COLON | (i + 2 < len && s[off + i + 1] == '/' && s[off + i + 2] == '/' ? T_URL : 0);
                case ';', '|', '&', '\n', '\r' -> m |= T_SHELL | (c == '&' ? T_DECODE : 0);
                case '$' -> m |= T_DOLLAR | T_SHELL | (i + 1 < len && s[off + i + 1] == '{' ? T_TEMPLATE : 0);
                case '.' -> {
                    if (i + 1 < len && s[off + i + 1] == '.') m |= T_PATH;
                }
                case '/' -> m |= T_SLASH;
                case '\\' -> m |= T_SLASH | T_DECODE;
                case '{' -> m |= T_TEMPLATE;
                case '@', '#', '*' -> {
                    if (i + 1 < len && (s[off + i + 1] == '{' || s[off + i + 1] == '(' || s[off + i + 1] == 's')) m |= T_TEMPLATE;
                }
                case '(', ')' -> m |= T_PAREN;
                case '%', '+' -> m |= T_DECODE;
                case '[' -> m |= T_DOLLAR; // name[$op]
                case '\0' -> m |= T_PATH;
                default -> {
                    if (c == '\u2215' || c == '\u2216' || c == '\uff0f' || c == '\uff3c' || c == '\u2044') m |= T_SLASH | T_PATH;
                    else if (c == '\uff1c' || c == '\ufe64') m |= T_LT;
                }
            }
        }
        if (len > 0) m = tail(m, s, off, len);
        return m;
    }

    /** Start-of-value and whole-value conditions; only reached for values that already look special or start oddly. */
    private static int tail(int m, char[] b, int off, int len) {
        char f = b[off];
        boolean oddStart = (f >= '0' && f <= '9') || f == '-' || f == ')' || f == ';' || f == '/' || f == '\\' || f <= ' '
                || f == 'u' || f == 'U' || f == 'o' || f == 'O' || f == 'a' || f == 'A' || f == 'f' || f == 'F' || (len > 2 && b[off + 1] == ':');
        if (!oddStart) {
            if (m == 0) return 0;
        } else if (m == 0) { // nothing special inside: only a SQL number/keyword start can matter
            return (f >= '0' && f <= '9') || f == '-' || f == ')' || f == ';' || wordAt(b, off, len, "union") || wordAt(b, off, len, "or")
                    || wordAt(b, off, len, "and") ? T_SQLSTART : 0;
        }
        String s = new String(b, off, len);
        if ((f >= '0' && f <= '9') || f == '-' || f == ')' || f == ';' || startsWithWord(s, "union") || startsWithWord(s, "or")
                || startsWithWord(s, "and")) m |= T_SQLSTART;
        if (f == '/' || f == '\\' || (len > 2 && s.charAt(1) == ':') || startsWithWord(s, "file") || f <= ' ') {
            if ((m & T_SLASH) != 0) m |= T_PATH;
        }
        if ((m & T_SLASH) != 0 && s.indexOf("0x") >= 0) m |= T_PATH;
        if (f == '/' && len > 1 && s.charAt(1) == '/') m |= T_URL;
        if (f <= ' ' && s.strip().startsWith("//")) m |= T_URL;
        if ((m & T_COLON) != 0 && (m & (T_LT | T_QUOTE)) == 0 && !hasScriptScheme(s)) m &= ~T_COLON;
        if ((m & T_TEMPLATE) == 0 && s.indexOf(":include") >= 0) m |= T_DECL;
        return m;
    }

    /** Keys made only of letters, digits and ordinary punctuation cannot carry any finding (checked without copying). */
    static boolean plainKey(String k) {
        int len = k.length();
        if (len == 0) return true;
        char f = k.charAt(0);
        if (f == '$' || f <= ' ') return false;
        for (int i = 0; i < len; i++) {
            char c = k.charAt(i);
            if (c < 128 ? SPECIAL[c] : (c == '\u2215' || c == '\u2216' || c == '\uff0f' || c == '\uff3c' || c == '\u2044' || c == '\uff1c' || c == '\ufe64')) {
                return false;
            }
        }
        // a key that starts like a SQL number/keyword fragment still needs the full look
        return !((f >= '0' && f <= '9') || f == '-' || f == ')' || f == ';' || startsWithWord(k, "union") || startsWithWord(k, "or")
                || startsWithWord(k, "and"));
    }

    private static boolean wordAt(char[] b, int off, int len, String w) {
        int n = w.length();
        if (len <= n) return false;
        for (int i = 0; i < n; i++) if (Character.toLowerCase(b[off + i]) != w.charAt(i)) return false;
        return !Character.isLetterOrDigit(b[off + n]);
    }

    private static boolean startsWithWord(String s, String w) {
        int n = w.length();
        return s.length() > n && s.regionMatches(true, 0, w, 0, n) && !Character.isLetterOrDigit(s.charAt(n));
    }

    /** A ':' preceded by "script" (javascript:, vbscript:, livescript:) or "data", ignoring case and tab/CR/LF. */
    private static boolean hasScriptScheme(String s) {
        for (int i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) {
            if (endsWithLetters(s, i, "script") || endsWithLetters(s, i, "data")) return true;
        }
        return false;
    }

    private static boolean endsWithLetters(String s, int end, String w) {
        int k = w.length() - 1, i = end - 1;
        while (i >= 0 && k >= 0) {
            char c = s.charAt(i);
            if (c == '\t' || c == '\n' || c == '\r') {
                i--;
                continue;
            }
            if (Character.toLowerCase(c) != w.charAt(k)) return false;
            i--;
            k--;
        }
        return k < 0;
    }

    void inspect(String value, ValueContext context, Hits hits) {
        inspect(value, context, hits, -1);
    }

    /** trig: precomputed {@link #triggers} of value, or -1 to compute here. */
    void inspect(String value, ValueContext context, Hits hits, int precomputed) {
        if (context == ValueContext.JSON_KEY) NoSqlOperatorGrammar.inspectKey(value, hits);
        int trig = precomputed >= 0 ? precomputed : triggers(value);
        if (trig == 0) return;
        hits.originalLength = value.length();
        hits.decoded = false;
        detectors(value, trig, false, hits);
        boolean plus = context.plusIsSpace();
        String cur = value;
        boolean decodable = (trig & T_DECODE) != 0 || plus;
        for (int pass = 0; decodable && pass < TextDecoder.MAX_PASSES; pass++) {
            String next = TextDecoder.decodeOnce(cur, plus);
            if (next == cur) break;
            hits.decoded = true;
            detectors(next, triggers(next), true, hits);
            cur = next;
        }
        hits.decoded = false;
        boolean looksLikeUrl = context != ValueContext.URL && value.indexOf('?') > 0
                && (value.startsWith("http://") || value.startsWith("https://") || value.startsWith("/"));
        if (context == ValueContext.URL || context == ValueContext.QUERY_VALUE || looksLikeUrl) {
            if (looksLikeUrl) context = ValueContext.URL;
            final ValueContext ctx = context;
            // the query string of a URL (or a whole query string): each parameter value is also a value of its own
            int q = value.indexOf('?');
            String query = ctx == ValueContext.URL ? (q >= 0 ? value.substring(q + 1) : null) : value;
            if (query != null && query.indexOf('=') >= 0) {
                hits.decoded = true;
                forEachParameter(query, (name, v) -> {
                    if (!v.isEmpty() && !v.equals(value)) {
                        detectors(v, triggers(v), true, hits);
                        String d = TextDecoder.decodeOnce(v, true);
                        if (d != v) detectors(d, triggers(d), true, hits);
                    }
                    NoSqlOperatorGrammar.inspectKey(name, hits);
                });
                hits.decoded = false;
            }
        }
    }

    private static void detectors(String s, int t, boolean decoded, Hits hits) {
        if (t == 0) return;
        if ((t & (T_QUOTE | T_SQLSTART)) != 0) SqlInjectionGrammar.inspect(s, hits);
        if ((t & (T_LT | T_COLON | T_QUOTE)) != 0) MarkupInjectionGrammar.inspect(s, hits);
        if ((t & T_SHELL) != 0 || s.startsWith("() {") || s.startsWith("(){")) ShellInjectionGrammar.inspect(s, hits);
        if ((t & T_PATH) != 0) PathTraversalGrammar.inspect(s, decoded, hits);
        if ((t & T_TEMPLATE) != 0) TemplateInjectionGrammar.inspect(s, hits);
        if ((t & T_URL) != 0) SsrfTargetClassifier.inspect(s, hits);
        if ((t & T_DECL) != 0) XmlEntityInspector.inspect(s, hits);
        if ((t & T_PAREN) != 0) LdapFilterGrammar.inspect(s, hits);
        if ((t & (T_DOLLAR | T_QUOTE | T_SQLSTART)) != 0) NoSqlOperatorGrammar.inspect(s, hits);
    }

    // ------------------------------------------------------------------ form and query bodies

    /** Scans an application/x-www-form-urlencoded body (or a URL query string); paths are the decoded field names. */
    public ThreatReport scanForm(String body) {
        List<ThreatFinding> out = new ArrayList<>();
        Hits hits = new Hits();
        forEachParameter(body, (name, raw) -> {
            NoSqlOperatorGrammar.inspectKey(name, hits);
            if (!hits.has(ThreatCategory.NOSQLI)) inspect(name, ValueContext.FORM_FIELD, hits);
            hits.drainTo(out, threshold, name);
            inspect(raw, ValueContext.FORM_FIELD, hits);
            hits.drainTo(out, threshold, name);
        });
        return out.isEmpty() ? ThreatReport.CLEAN : new ThreatReport(out, null);
    }

    interface ParameterSink {
        void accept(String decodedName, String rawValue);
    }

    /** Splits on '&' and the first '='; names are percent-decoded, values passed raw (the scanner decodes them). */
    static void forEachParameter(String body, ParameterSink sink) {
        int len = body.length();
        int i = 0;
        while (i <= len) {
            int amp = body.indexOf('&', i);
            if (amp < 0) amp = len;
            if (amp > i) {
                int eq = body.indexOf('=', i);
                String name, value;
                if (eq < 0 || eq > amp) {
                    name = body.substring(i, amp);
                    value = "";
                } else {
                    name = body.substring(i, eq);
                    value = body.substring(eq + 1, amp);
                }
                sink.accept(TextDecoder.percentDecode(name, true), value);
            }
            i = amp + 1;
        }
    }

    // ------------------------------------------------------------------ XML bodies

    /**
     * Scans an XML body: the DTD for external entities and expansion (no XML parser runs, nothing is resolved), then
     * text nodes, CDATA sections and quoted attribute values as values. More than {@link #MAX_XML_NODES} nodes: malformed.
     */
    public ThreatReport scanXml(String body) {
        List<ThreatFinding> out = new ArrayList<>();
        Hits hits = new Hits();
        XmlEntityInspector.inspect(body, hits);
        hits.drainTo(out, threshold, "xml");
        // text nodes and attribute values, with XML character references decoded by the value scanner
        int len = body.length();
        int i = 0;
        int budget = MAX_XML_NODES;
        String malformed = null;
        while (i < len) {
            if (budget-- == 0) {
                malformed = "XML body has more than " + MAX_XML_NODES + " nodes";
                break;
            }
            int lt = body.indexOf('<', i);
            int textEnd = lt < 0 ? len : lt;
            if (textEnd > i) {
                String text = body.substring(i, textEnd);
                if (!text.isBlank()) inspectXmlText(text, hits);
            }
            if (lt < 0) break;
            if (body.startsWith("<![CDATA[", lt)) {
                int e = body.indexOf("]]>", lt + 9);
                int ce = e < 0 ? len : e;
                inspectXmlText(body.substring(lt + 9, ce), hits);
                i = e < 0 ? len : e + 3;
                continue;
            }
            if (body.startsWith("<!--", lt)) {
                int e = body.indexOf("-->", lt + 4);
                i = e < 0 ? len : e + 3;
                continue;
            }
            // tag: attribute values in quotes
            int k = lt + 1;
            while (k < len && body.charAt(k) != '>') {
                char c = body.charAt(k);
                if ((c == '"' || c == '\'') && body.charAt(k - 1) == '=') {
                    int e = body.indexOf(c, k + 1);
                    int ve = e < 0 ? len : e;
                    inspectXmlText(body.substring(k + 1, ve), hits);
                    k = e < 0 ? len : e + 1;
                    continue;
                }
                k++;
            }
            i = k + 1;
        }
        hits.drainTo(out, threshold, "xml");
        return out.isEmpty() && malformed == null ? ThreatReport.CLEAN : new ThreatReport(out, malformed);
    }

    private void inspectXmlText(String text, Hits hits) {
        inspect(text, ValueContext.XML_TEXT, hits);
    }

    // ------------------------------------------------------------------ JSON bodies

    /** Scans a JSON body held in memory. */
    public ThreatReport scanJson(byte[] body) {
        if (!Utf8ValidatingStream.isValid(body)) {
            // still scan what parses (findings before the bad byte are useful), but the verdict is malformed
            try {
                ThreatReport r = scanJson(new ByteArrayInputStream(body));
                return r.isMalformed() ? r : new ThreatReport(r.findings(), "invalid UTF-8 in JSON");
            } catch (IOException e) {
                return new ThreatReport(List.of(), "invalid UTF-8 in JSON");
            }
        }
        try {
            return scan(json.createParser(body));
        } catch (IOException e) { // cannot happen for an in-memory body; report rather than throw
            return new ThreatReport(List.of(), "unreadable body");
        }
    }

    /**
     * Scans a JSON body as a stream (Jackson streaming parser): every string value and every object key, with its JSON
     * path. Memory is bounded by the nesting depth and the longest single string, not by the body size.
     *
     * @throws IOException only when reading the caller's stream fails
     */
    public ThreatReport scanJson(InputStream in) throws IOException {
        return scan(json.createParser(new Utf8ValidatingStream(in)));
    }

    private ThreatReport scan(JsonParser parser) throws IOException {
        JsonWalk walk = new JsonWalk();
        try (JsonParser p = parser) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (!walk.token(p, t)) break;
            }
        } catch (JsonParseException | StreamConstraintsException | CharConversionException e) {
            walk.fail(e);
        }
        return walk.report();
    }

    /**
     * Starts a chunked JSON scan for bodies that arrive in pieces (a gateway's response-body phase): feed each chunk
     * as it comes, then {@link JsonScanSession#finish()}. Uses Jackson's non-blocking parser, so nothing is buffered
     * beyond the token in progress; same guarantees and verdicts as {@link #scanJson(InputStream)}.
     */
    public JsonScanSession newJsonSession() {
        try {
            return new JsonScanSession(json.createNonBlockingByteArrayParser());
        } catch (IOException e) { // the factory cannot fail for an in-memory feeder
            throw new IllegalStateException(e);
        }
    }

    /** A chunked JSON scan; single-threaded, one body. Never throws for any input. */
    public final class JsonScanSession {
        private final JsonParser parser;
        private final com.fasterxml.jackson.core.async.ByteArrayFeeder feeder;
        private final JsonWalk walk = new JsonWalk();
        private final Utf8ValidatingStream utf8 = new Utf8ValidatingStream(InputStream.nullInputStream());
        private boolean stopped;
        private ThreatReport result;

        private JsonScanSession(JsonParser parser) {
            this.parser = parser;
            this.feeder = (com.fasterxml.jackson.core.async.ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }

        /** Feeds the next chunk (the array may be reused by the caller after this returns). */
        public void feed(byte[] chunk, int off, int len) {
            if (stopped || len == 0) return;
            try {
                utf8.accept(chunk, off, len);
                feeder.feedInput(chunk, off, off + len);
                drain();
            } catch (JsonParseException | StreamConstraintsException | CharConversionException e) {
                walk.fail(e);
                stopped = true;
            } catch (IOException e) {
                walk.fail(e);
                stopped = true;
            }
        }

        /** Ends the input and returns the verdict (idempotent). */
        public ThreatReport finish() {
            if (result != null) return result;
            if (!stopped) {
                try {
                    utf8.end();
                    feeder.endOfInput();
                    drain();
                } catch (IOException e) {
                    walk.fail(e);
                }
            }
            try {
                parser.close();
            } catch (IOException ignored) { // nothing to release for an in-memory feeder
            }
            result = walk.report();
            return result;
        }

        private void drain() throws IOException {
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                if (!walk.token(parser, t)) {
                    stopped = true;
                    return;
                }
            }
        }
    }

    /**
     * Starts a JSON scan fed with the tokens of a parse done elsewhere (the single parse of an inbound body, see
     * {@code io.portcullis.inspect.limits.StructuralLimits#begin(TokenListener)}), so the body is tokenized once for
     * several checks. Given the tokens of a whole, well-formed body, {@link JsonTokenScan#report()} equals
     * {@link #scanJson(byte[])} of that body — same findings, paths and verdict — whenever
     * {@link JsonTokenScan#exact()} holds; the scan reproduces this engine's own nesting and key-length limits, and
     * gives up exactness (the caller then scans the body itself) for numbers or strings near this engine's caps.
     */
    public JsonTokenScan newTokenScan() {
        return new JsonTokenScan();
    }

    /**
     * Whether a token scan is always {@link JsonTokenScan#exact() exact} for bodies within these structural limits
     * (nesting, number and string length): then a body the limits accept never needs this engine's own parse.
     */
    public static boolean tokenScanCovers(int maxDepth, int maxNumberLength, int maxStringLength) {
        return maxDepth <= MAX_DEPTH && maxNumberLength <= NUMBER_CAP && maxStringLength <= STRING_CAP;
    }

    /** Longest key this engine's parser reads (Jackson's default name limit, in UTF-8 bytes). */
    static final int MAX_KEY_BYTES = StreamReadConstraints.DEFAULT_MAX_NAME_LEN;
    /** Longest number and string this engine's parser reads (see the factory); tokens this close to them are not judged here. */
    private static final int NUMBER_CAP = 10_000 - 16;
    private static final int STRING_CAP = 64 * 1024 * 1024 - 16;

    /** A JSON scan over tokens parsed elsewhere; single-threaded, one body. Never throws. */
    public final class JsonTokenScan {
        private final JsonWalk walk = new JsonWalk();
        private boolean stopped;
        private boolean exact = true;

        private JsonTokenScan() {
        }

        /** The next token, with {@code parser} positioned on it. */
        public void token(JsonParser parser, JsonToken t) {
            if (stopped) return;
            try {
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (walk.path.depth + 1 > MAX_DEPTH) { // this engine's parser refuses the opening bracket
                            walk.malformed = "JSON nesting deeper than " + MAX_DEPTH;
                            stopped = true;
                            return;
                        }
                    }
                    case FIELD_NAME -> {
                        String name = parser.currentName();
                        if (name.length() > MAX_KEY_BYTES / 3 && utf8Length(name) > MAX_KEY_BYTES) {
                            walk.malformed = "JSON exceeds a structural limit";
                            stopped = true;
                            return;
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        if (parser.getTextLength() > NUMBER_CAP) exact = false;
                    }
                    case VALUE_STRING -> {
                        if (parser.getTextLength() > STRING_CAP) exact = false;
                    }
                    default -> { }
                }
                if (!walk.token(parser, t)) stopped = true;
            } catch (IOException | RuntimeException e) {
                exact = false;
                stopped = true;
            }
        }

        /** Whether {@link #report()} is the verdict this engine's own parse of the body would give. */
        public boolean exact() {
            return exact;
        }

        /** The findings and verdict over the tokens seen (call once the body is complete). */
        public ThreatReport report() {
            return walk.report();
        }
    }

    private static int utf8Length(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }

    /** Token-by-token state of one JSON scan: path, findings, top-level count, first structural error. */
    private final class JsonWalk {
        final List<ThreatFinding> out = new ArrayList<>();
        final Hits hits = new Hits();
        final JsonPath path = new JsonPath();
        int roots;
        String malformed;

        /** Handles one token; false when scanning must stop. */
        boolean token(JsonParser p, JsonToken t) throws IOException {
            switch (t) {
                case START_OBJECT -> {
                    if (path.depth == 0) roots++;
                    path.pushObject();
                }
                case START_ARRAY -> {
                    if (path.depth == 0) roots++;
                    path.pushArray();
                }
                case END_OBJECT, END_ARRAY -> {
                    path.pop();
                    path.nextElement();
                }
                case FIELD_NAME -> {
                    String name = p.currentName();
                    path.setField(name);
                    if (!plainKey(name)) inspect(name, ValueContext.JSON_KEY, hits);
                    if (hits.any()) hits.drainTo(out, threshold, path.render());
                }
                case VALUE_STRING -> {
                    if (path.depth == 0) roots++;
                    int trig = triggers(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                    if (trig != 0) inspect(p.getText(), ValueContext.JSON_VALUE, hits, trig);
                    if (hits.any()) hits.drainTo(out, threshold, path.render());
                    path.nextElement();
                }
                default -> {
                    if (path.depth == 0) roots++;
                    path.nextElement();
                }
            }
            if (roots > 1) {
                malformed = "more than one top-level value";
                return false;
            }
            return true;
        }

        void fail(Exception e) {
            if (malformed != null) return;
            if (e instanceof StreamConstraintsException c) malformed = constraintReason(c.getMessage());
            else if (e instanceof JsonEOFException) malformed = "truncated JSON (unexpected end of input)";
            else if (e instanceof CharConversionException) malformed = "invalid UTF-8 in JSON";
            else if (e instanceof JsonParseException j) malformed = parseReason(j.getOriginalMessage());
            else malformed = "unreadable body";
        }

        ThreatReport report() {
            if (malformed == null && roots == 0) malformed = "empty body";
            return out.isEmpty() && malformed == null ? ThreatReport.CLEAN : new ThreatReport(out, malformed);
        }
    }

    /** Scans a JSON body given as text. */
    public ThreatReport scanJson(String body) {
        return scanJson(body.getBytes(StandardCharsets.UTF_8));
    }

    private static String constraintReason(String m) {
        if (m == null) return "JSON exceeds a structural limit";
        if (m.contains("nesting depth")) return "JSON nesting deeper than " + MAX_DEPTH;
        if (m.contains("Number value length")) return "JSON number too long";
        if (m.contains("String value length")) return "JSON string too long";
        return "JSON exceeds a structural limit";
    }

    private static String parseReason(String m) {
        if (m == null) return "invalid JSON";
        if (m.startsWith("Duplicate field")) return "duplicate key in JSON object";
        if (m.contains("Invalid UTF-8")) return "invalid UTF-8 in JSON";
        if (m.contains("end-of-input") || m.contains("Unexpected end")) return "truncated JSON (unexpected end of input)";
        return "invalid JSON syntax";
    }

    /** The current JSON path as a stack; rendering only happens when a finding needs it. */
    static final class JsonPath {
        private Object[] seg = new Object[16]; // String field name, or int[]{index} for arrays
        private boolean[] isArray = new boolean[16];
        private int[] index = new int[16];
        int depth;

        void pushObject() {
            grow();
            isArray[depth] = false;
            seg[depth] = null;
            depth++;
        }

        void pushArray() {
            grow();
            isArray[depth] = true;
            index[depth] = 0;
            depth++;
        }

        void pop() {
            if (depth > 0) depth--;
        }

        void setField(String name) {
            if (depth > 0) seg[depth - 1] = name;
        }

        void nextElement() {
            if (depth > 0 && isArray[depth - 1]) index[depth - 1]++;
        }

        private void grow() {
            if (depth == seg.length) {
                seg = java.util.Arrays.copyOf(seg, depth * 2);
                isArray = java.util.Arrays.copyOf(isArray, depth * 2);
                index = java.util.Arrays.copyOf(index, depth * 2);
            }
        }

        String render() {
            StringBuilder b = new StringBuilder("$");
            for (int i = 0; i < depth; i++) {
                if (isArray[i]) {
                    b.append('[').append(index[i]).append(']');
                } else if (seg[i] != null) {
                    String n = (String) seg[i];
                    if (isPlainName(n)) b.append('.').append(n);
                    else b.append("['").append(n.length() > 40 ? n.substring(0, 40) + "…" : n.replace("'", "\\'")).append("']");
                }
            }
            return b.toString();
        }

        private static boolean isPlainName(String n) {
            if (n.isEmpty() || n.length() > 64) return false;
            for (int i = 0; i < n.length(); i++) {
                char c = n.charAt(i);
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) return false;
            }
            return !Character.isDigit(n.charAt(0));
        }
    }
}
