package io.portcullis.inspect.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** Bounded, masked previews of JSON values for findings: the type, the size and at most two leading characters. */
final class MaskedExcerpt {
    private MaskedExcerpt() {
    }

    static String of(JsonNode n) {
        if (n == null || n.isMissingNode()) return "";
        if (n.isNull()) return "null";
        if (n.isBoolean()) return n.asText();
        if (n.isObject()) return "object(" + n.size() + " keys)";
        if (n.isArray()) return "array(" + n.size() + ")";
        String text = n.asText();
        String kind = n.isNumber() ? "number" : "string";
        return kind + "(" + text.length() + ") \"" + maskText(text) + "\"";
    }

    static String maskText(String text) {
        int keep = text.length() <= 4 ? 0 : Math.min(2, text.length());
        int prefixEnd = keep == 0 ? 0 : text.offsetByCodePoints(0, Math.min(keep, text.codePointCount(0, text.length())));
        return text.substring(0, prefixEnd) + "*".repeat(Math.min(8, text.length() - prefixEnd));
    }

    /** Removes a textual instance value from a library message, in case the message quotes it. */
    static String scrub(String message, JsonNode instance) {
        String m = message == null ? "" : message;
        if (instance != null && instance.isValueNode() && !instance.isNull()) {
            String v = instance.asText();
            if (v.length() >= 3 && m.contains(v)) m = m.replace(v, maskText(v));
        }
        return m.length() <= 240 ? m : m.substring(0, 237) + "...";
    }
}
