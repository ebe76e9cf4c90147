package io.portcullis.inspect.threats;

import java.util.Objects;

/**
 * One detected injection attempt.
 *
 * @param category the injection class
 * @param score    confidence 0..100; the engine only reports findings at or above its threshold
 * @param reason   a short fixed description of the construct that was recognised (never contains input text)
 * @param excerpt  at most {@link #MAX_EXCERPT} characters of the input around the finding, control characters escaped
 * @param start    start offset of the span in the scanned value (0 when the finding came from a decoded form)
 * @param end      end offset (exclusive) of the span in the scanned value
 * @param path     where the value sits in a body: a JSON path like {@code $.data[3].name}, a form field name,
 *                 {@code xml} for XML bodies, or {@code ""} for a lone value
 */
public record ThreatFinding(ThreatCategory category, int score, String reason, String excerpt, int start, int end, String path) {
    /** Upper bound on the excerpt length. */
    public static final int MAX_EXCERPT = 32;

    public ThreatFinding {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(path, "path");
        if (excerpt == null) excerpt = "";
        if (excerpt.length() > MAX_EXCERPT) throw new IllegalArgumentException("excerpt longer than " + MAX_EXCERPT);
        if (score < 0 || score > 100) throw new IllegalArgumentException("score out of range: " + score);
    }

    ThreatFinding atPath(String newPath) {
        return new ThreatFinding(category, score, reason, excerpt, start, end, newPath);
    }

    /** Builds a bounded, printable excerpt of {@code text[start, end)}. */
    static String excerptOf(CharSequence text, int start, int end) {
        int s = Math.max(0, Math.min(start, text.length()));
        int e = Math.max(s, Math.min(end, text.length()));
        StringBuilder b = new StringBuilder(MAX_EXCERPT);
        for (int i = s; i < e && b.length() < MAX_EXCERPT - 1; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (b.length() + 2 > MAX_EXCERPT - 1) break;
                b.append('\\').append(c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : '?');
            } else if (Character.isSurrogate(c)) {
                b.append('?');
            } else {
                b.append(c);
            }
        }
        if (e - s > b.length()) b.append('…');
        return b.length() > MAX_EXCERPT ? b.substring(0, MAX_EXCERPT) : b.toString();
    }
}
