package io.portcullis.inspect.limits;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.portcullis.core.config.InboundPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Structural limits for JSON bodies, checked in one streaming pass over the bytes as they arrive.
 *
 * <p>Guarantees:
 * <ul>
 *   <li>Every limit is inclusive: a body exactly at a limit passes, one unit more is {@link StructureVerdict.Exceeded}.</li>
 *   <li>Memory is bounded by the limits, not by the body: the parser never holds more than one string or number
 *       (capped by Jackson's {@link StreamReadConstraints}, set to the same limits) plus one frame per nesting level.</li>
 *   <li>Time is linear in the body; no input makes the check throw or hang. Anything that is not one strict
 *       RFC 8259 JSON value (invalid UTF-8, truncation, trailing data, duplicate keys, NaN, leading zeros,
 *       control characters in strings) is {@link StructureVerdict.Malformed} with a reason that never quotes the
 *       payload.</li>
 * </ul>
 * This object is immutable and thread-safe; each body gets its own {@link Scan}, which is not thread-safe.
 */
public final class StructuralLimits {
    private static final int MAX_PATH_NAME = 64;

    private final InboundPolicy.Limits limits;
    private final JsonFactory factory;

    public StructuralLimits(InboundPolicy.Limits limits) {
        this.limits = limits;
        var constraints = StreamReadConstraints.builder()
                .maxNestingDepth(limits.maxDepth() + 1) // our own counter reports the exact path first
                .maxStringLength(Math.max(1, limits.maxStringLength()))
                .maxNameLength(Math.max(1, Math.min(limits.maxStringLength(), 1 << 20)))
                .maxNumberLength(limits.maxNumberLength())
                .maxDocumentLength(limits.maxBodySize() < Long.MAX_VALUE ? limits.maxBodySize() + 1 : -1)
                .build();
        this.factory = JsonFactory.builder()
                .streamReadConstraints(constraints)
                .build(); // duplicate keys are detected by the scan itself (Frame.addKey)
    }

    public InboundPolicy.Limits limits() {
        return limits;
    }

    /** Starts the check of one body. */
    public Scan begin() {
        return begin(null);
    }

    /**
     * Starts the check of one body whose tokens are also handed to {@code listener} (the single parse of an inbound
     * JSON body: threat scan and contract tree are fed from the same tokens). The listener sees each token after it
     * passed the structural checks, in order, and no token after the first non-{@code Within} verdict; so when the
     * final verdict is {@code Within}, it has seen the whole body.
     *
     * @param listener the token consumer, or null
     */
    public Scan begin(TokenListener listener) {
        try {
            return new Scan(factory.createNonBlockingByteArrayParser(), listener);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create a non-blocking JSON parser", e);
        }
    }

    /**
     * Receives the tokens of a body from a {@link Scan}, positioned on the parser (names, text and numbers can be read).
     * Must not throw for any token of well-formed JSON, and must not move the parser.
     */
    @FunctionalInterface
    public interface TokenListener {
        void token(JsonParser parser, JsonToken token) throws IOException;
    }

    /** Checks a whole body held in memory. */
    public StructureVerdict check(byte[] body) {
        return begin().feed(body, 0, body.length, true);
    }

    /** The check of one body, fed chunk by chunk. After a non-{@code Within} verdict, further feeds return it again. */
    public final class Scan {
        private final JsonParser parser;
        private final ByteArrayFeeder feeder;
        private final TokenListener listener;
        private final List<Frame> stack = new ArrayList<>();
        private final Utf8Validation utf8 = new Utf8Validation();
        private final TrailingCommaCheck commas = new TrailingCommaCheck();
        private long fed;
        private boolean rootSeen;
        private boolean rootDone;
        private boolean finished;
        private StructureVerdict verdict = StructureVerdict.Within.INSTANCE;

        private Scan(JsonParser parser, TokenListener listener) {
            this.parser = parser;
            this.listener = listener;
            this.feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }

        /** Bytes fed so far. */
        public long bytes() {
            return fed;
        }

        /**
         * Feeds the next chunk. Returns {@code Within} while the body is acceptable so far; when {@code last} is
         * true, {@code Within} means the body is one complete JSON value within every limit.
         */
        public StructureVerdict feed(byte[] buf, int off, int len, boolean last) {
            if (!verdict.ok() || finished) return verdict;
            fed += len;
            if (fed > limits.maxBodySize()) {
                return verdict = new StructureVerdict.Exceeded(StructureVerdict.Limit.BODY_SIZE, "$", fed, limits.maxBodySize());
            }
            // byte-level checks first; the parser then sees only the bytes before a bad one, so the reported
            // path is the same however the body was chunked
            long bad = utf8.accept(buf, off, len);
            String badReason = "invalid UTF-8";
            long comma = commas.accept(buf, off, len);
            if (comma >= 0 && (bad < 0 || comma < bad)) {
                bad = comma;
                badReason = "not valid JSON: closing bracket after a comma or colon";
            }
            int usable = bad >= 0 ? (int) (bad - (fed - len)) : len;
            try {
                if (usable > 0) {
                    feeder.feedInput(buf, off, off + usable);
                    drain();
                }
                if (verdict.ok() && bad >= 0) {
                    return verdict = new StructureVerdict.Malformed(badReason, path(), bad);
                }
                if (verdict.ok() && last && !utf8.complete()) {
                    return verdict = new StructureVerdict.Malformed("invalid UTF-8", path(), fed);
                }
                if (last && verdict.ok()) {
                    feeder.endOfInput();
                    drain();
                    finished = true;
                    if (verdict.ok() && !rootDone) {
                        verdict = new StructureVerdict.Malformed(rootSeen ? "truncated: the JSON value is incomplete" : "empty body: no JSON value",
                                path(), fed);
                    }
                    parser.close();
                }
            } catch (StreamConstraintsException e) {
                verdict = fromConstraint(e);
            } catch (JsonParseException e) {
                verdict = new StructureVerdict.Malformed(classify(e), path(), e.getLocation() == null ? fed : Math.max(0, e.getLocation().getByteOffset()));
            } catch (IOException | RuntimeException e) {
                verdict = new StructureVerdict.Malformed("not valid JSON", path(), fed);
            }
            return verdict;
        }

        public StructureVerdict feed(byte[] chunk, boolean last) {
            return feed(chunk, 0, chunk.length, last);
        }

        private void drain() throws IOException {
            JsonToken t;
            while ((t = parser.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
                if (rootDone) {
                    verdict = new StructureVerdict.Malformed("more than one JSON value in the body", "$", parser.currentLocation().getByteOffset());
                    return;
                }
                rootSeen = true;
                if (t == JsonToken.FIELD_NAME) {
                    Frame f = top();
                    f.name = parser.currentName();
                    if (++f.count > limits.maxObjectKeys()) {
                        f.name = null;
                        verdict = new StructureVerdict.Exceeded(StructureVerdict.Limit.OBJECT_KEYS, path(), f.count, limits.maxObjectKeys());
                        return;
                    }
                    if (!f.addKey(f.name)) { // our own check: Jackson's allocates a set per object after two keys
                        verdict = new StructureVerdict.Malformed("duplicate key in an object", path(), parser.currentLocation().getByteOffset());
                        return;
                    }
                    if (listener != null) listener.token(parser, t);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    stack.removeLast();
                    if (stack.isEmpty()) rootDone = true;
                    if (listener != null) listener.token(parser, t);
                    continue;
                }
                // a value: counts as an element of an enclosing array
                if (!stack.isEmpty() && top().array) {
                    Frame f = top();
                    if (++f.count > limits.maxArrayLength()) {
                        verdict = new StructureVerdict.Exceeded(StructureVerdict.Limit.ARRAY_LENGTH, pathOf(stack.size() - 1, false),
                                f.count, limits.maxArrayLength());
                        return;
                    }
                }
                switch (t) {
                    case START_OBJECT, START_ARRAY -> {
                        if (stack.size() + 1 > limits.maxDepth()) {
                            verdict = new StructureVerdict.Exceeded(StructureVerdict.Limit.DEPTH, path(), stack.size() + 1, limits.maxDepth());
                            return;
                        }
                        stack.add(new Frame(t == JsonToken.START_ARRAY));
                    }
                    case VALUE_STRING -> {
                        int n = parser.getTextLength();
                        if (n > limits.maxStringLength()) {
                            verdict = new StructureVerdict.Exceeded(StructureVerdict.Limit.STRING_LENGTH, path(), n, limits.maxStringLength());
                            return;
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        int n = parser.getTextLength();
                        if (n > limits.maxNumberLength()) {
                            verdict = new StructureVerdict.Exceeded(StructureVerdict.Limit.NUMBER_LENGTH, path(), n, limits.maxNumberLength());
                            return;
                        }
                    }
                    default -> { }
                }
                if (listener != null) listener.token(parser, t);
                if (stack.isEmpty()) rootDone = true;
            }
        }

        private Frame top() {
            return stack.getLast();
        }

        private StructureVerdict fromConstraint(StreamConstraintsException e) {
            String m = String.valueOf(e.getMessage());
            StructureVerdict.Limit limit;
            long max;
            if (m.startsWith("String value length") || m.startsWith("Name length")) {
                limit = StructureVerdict.Limit.STRING_LENGTH;
                max = limits.maxStringLength();
            } else if (m.startsWith("Number value length") || m.contains("umber length")) {
                limit = StructureVerdict.Limit.NUMBER_LENGTH;
                max = limits.maxNumberLength();
            } else if (m.contains("nesting depth")) {
                limit = StructureVerdict.Limit.DEPTH;
                max = limits.maxDepth();
            } else {
                limit = StructureVerdict.Limit.BODY_SIZE;
                max = limits.maxBodySize();
            }
            return new StructureVerdict.Exceeded(limit, path(), max + 1, max);
        }

        private String classify(JsonParseException e) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("UTF-8") || m.contains("UTF8")) return "invalid UTF-8";
            if (m.contains("end-of-input") || m.contains("EOF")) return "truncated: the JSON value is incomplete";
            if (m.startsWith("Duplicate")) return "duplicate key in an object";
            if (m.contains("Non-standard token") || m.contains("NaN") || m.contains("Infinity")) return "non-standard number (NaN or Infinity)";
            if (m.contains("Leading zeroes") || m.contains("leading zero")) return "number with leading zeros";
            if (m.contains("CTRL-CHAR") || m.contains("control character")) return "unescaped control character in a string";
            if (m.contains("escape")) return "invalid escape sequence in a string";
            return "not valid JSON";
        }

        private String path() {
            return pathOf(stack.size() - 1, true);
        }

        /** Renders {@code $.a[3].b} up to frame {@code last}; {@code withLeaf} adds the current key/index of that frame. */
        private String pathOf(int last, boolean withLeaf) {
            var sb = new StringBuilder("$");
            for (int i = 0; i <= last; i++) {
                Frame f = stack.get(i);
                if (i == last && !withLeaf) break;
                if (f.array) {
                    if (f.count > 0) sb.append('[').append(f.count - 1).append(']');
                } else if (f.name != null) {
                    appendName(sb, f.name);
                }
            }
            return sb.toString();
        }
    }

    static void appendName(StringBuilder sb, String name) {
        String n = name.length() > MAX_PATH_NAME ? name.substring(0, MAX_PATH_NAME) + "…" : name;
        if (!n.isEmpty() && n.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            sb.append('.').append(n);
        } else {
            sb.append("['").append(n.replace("\\", "\\\\").replace("'", "\\'")).append("']");
        }
    }

    private static final class Frame {
        final boolean array;
        int count;
        String name;
        /** Keys seen in this object: a short array first (names are canonical, so usually one == each), a set beyond. */
        private String[] keys;
        private java.util.HashSet<String> keySet;

        Frame(boolean array) {
            this.array = array;
        }

        /** Records a key; false if the object already has it. */
        boolean addKey(String k) {
            if (keySet != null) return keySet.add(k);
            int n = count - 1; // keys recorded before this one (count already includes it)
            if (keys == null) keys = new String[8];
            for (int i = 0; i < n; i++) {
                String s = keys[i];
                if (s == k || s.equals(k)) return false;
            }
            if (n < 16) {
                if (n == keys.length) keys = java.util.Arrays.copyOf(keys, 16);
                keys[n] = k;
            } else {
                keySet = new java.util.HashSet<>(64);
                for (int i = 0; i < n; i++) keySet.add(keys[i]);
                keys = null;
                keySet.add(k);
            }
            return true;
        }
    }
}
