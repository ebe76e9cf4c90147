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

    /** Scans one string value. Never throws for any input. */
    public ThreatReport scanValue(String value, ValueContext context) {
        List<ThreatFinding> out = new ArrayList<>(1);
        Hits hits = new Hits();
        inspect(value, context, hits);
        hits.drainTo(out, threshold, "");
        return out.isEmpty() ? ThreatReport.CLEAN : new ThreatReport(out, null);
    }

    /** Cheap first look: values made only of letters, digits, spaces and ordinary punctuation are clean. */
    static boolean interesting(String s) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'', '"', '`', ';', '|', '&', '$', '<', '>', '(', ')', '{', '}', '[', '%', '=', '*', '#', '\\', '\n', '\r', '\0', '@', '+' -> {
                    return true;
                }
                case '.' -> {
                    if (i + 1 < len && s.charAt(i + 1) == '.') return true;
                }
                case '/' -> {
                    return true;
                }
                case ':' -> {
                    if (i + 1 < len && s.charAt(i + 1) == '/') return true;
                }
                default -> {
                    if (c == '\u2215' || c == '\uff0f' || c == '\uff1c' || c == '\ufe64') return true;
                }
            }
        }
        // number or raw SQL context without any special character (1 UNION SELECT ..., 1 or sleep 5)
        if (len > 0) {
            char f = s.charAt(0);
            if (Character.isDigit(f) || f == 'u' || f == 'U' || f == 'o' || f == 'O') return len >= 8;
        }
        return false;
    }

    void inspect(String value, ValueContext context, Hits hits) {
        if (context == ValueContext.JSON_KEY) NoSqlOperatorGrammar.inspectKey(value, hits);
        if (!interesting(value)) return;
        hits.originalLength = value.length();
        hits.decoded = false;
        detectors(value, false, hits);
        boolean plus = context.plusIsSpace();
        String cur = value;
        for (int pass = 0; pass < TextDecoder.MAX_PASSES; pass++) {
            String next = TextDecoder.decodeOnce(cur, plus);
            if (next == cur) break;
            hits.decoded = true;
            detectors(next, true, hits);
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
                        detectors(v, true, hits);
                        String d = TextDecoder.decodeOnce(v, true);
                        if (d != v) detectors(d, true, hits);
                    }
                    NoSqlOperatorGrammar.inspectKey(name, hits);
                });
                hits.decoded = false;
            }
        }
    }

    private static void detectors(String s, boolean decoded, Hits hits) {
        SqlInjectionGrammar.inspect(s, hits);
        MarkupInjectionGrammar.inspect(s, hits);
        ShellInjectionGrammar.inspect(s, hits);
        PathTraversalGrammar.inspect(s, decoded, hits);
        TemplateInjectionGrammar.inspect(s, hits);
        SsrfTargetClassifier.inspect(s, hits);
        XmlEntityInspector.inspect(s, hits);
        if (s.indexOf(')') >= 0 || s.indexOf('(') >= 0) LdapFilterGrammar.inspect(s, hits);
        NoSqlOperatorGrammar.inspect(s, hits);
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

    /** Scans an XML body: the DTD for external entities and expansion, then text and attribute values as values. */
    public ThreatReport scanXml(String body) {
        List<ThreatFinding> out = new ArrayList<>();
        Hits hits = new Hits();
        XmlEntityInspector.inspect(body, hits);
        hits.drainTo(out, threshold, "xml");
        // text nodes and attribute values, with XML character references decoded by the value scanner
        int len = body.length();
        int i = 0;
        int budget = 100_000;
        while (i < len && budget-- > 0) {
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
        return out.isEmpty() ? ThreatReport.CLEAN : new ThreatReport(out, null);
    }

    private void inspectXmlText(String text, Hits hits) {
        inspect(text, ValueContext.XML_TEXT, hits);
    }

    // ------------------------------------------------------------------ JSON bodies

    /** Scans a JSON body held in memory. */
    public ThreatReport scanJson(byte[] body) {
        try {
            return scanJson(new ByteArrayInputStream(body));
        } catch (IOException e) { // cannot happen for an in-memory stream; report rather than throw
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
        List<ThreatFinding> out = new ArrayList<>();
        Hits hits = new Hits();
        JsonPath path = new JsonPath();
        String malformed = null;
        try (JsonParser p = json.createParser(new Utf8ValidatingStream(in))) {
            JsonToken t;
            int roots = 0;
            while ((t = p.nextToken()) != null) {
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
                        inspect(name, ValueContext.JSON_KEY, hits);
                        if (hits.any()) hits.drainTo(out, threshold, path.render());
                    }
                    case VALUE_STRING -> {
                        if (path.depth == 0) roots++;
                        inspect(p.getText(), ValueContext.JSON_VALUE, hits);
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
                    break;
                }
            }
            if (malformed == null && roots == 0) malformed = "empty body";
        } catch (StreamConstraintsException e) {
            malformed = constraintReason(e.getMessage());
        } catch (JsonEOFException e) {
            malformed = "truncated JSON (unexpected end of input)";
        } catch (CharConversionException e) {
            malformed = "invalid UTF-8 in JSON";
        } catch (JsonParseException e) {
            malformed = parseReason(e.getOriginalMessage());
        }
        return out.isEmpty() && malformed == null ? ThreatReport.CLEAN : new ThreatReport(out, malformed);
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
