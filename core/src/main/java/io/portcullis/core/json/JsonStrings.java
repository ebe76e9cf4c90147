package io.portcullis.core.json;

/** JSON string literals for hand-written JSON lines (CLI output, problem bodies) where a generator is overkill. */
public final class JsonStrings {
    private JsonStrings() {}

    /** {@code s} as a quoted JSON string (RFC 8259 escaping); {@code null} becomes {@code null}. */
    public static String quote(String s) {
        if (s == null) return "null";
        var sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
