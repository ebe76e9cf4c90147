package io.portcullis.gateway.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An RFC 9457 problem detail the gateway answers with instead of forwarding. Text in it is written for
 * the calling app's developers: it names what was wrong (types, paths, policy) and never carries a
 * secret, a token or a sensitive value.
 *
 * @param status HTTP status
 * @param type   short problem kind; rendered as {@code https://portcullis.dev/problems/<type>}
 * @param title  short, stable summary for the status
 * @param detail what happened in this exchange
 * @param extensions extra members (strings or lists of strings), e.g. {@code "findings"}
 * @param headers extra response headers, e.g. {@code Retry-After}
 */
public record Problem(int status, String type, String title, String detail, Map<String, Object> extensions,
                      Map<String, String> headers) {

    public static Problem of(int status, String type, String title, String detail) {
        return new Problem(status, type, title, detail, Map.of(), Map.of());
    }

    public Problem withExtension(String key, Object value) {
        var m = new LinkedHashMap<>(extensions);
        m.put(key, value);
        return new Problem(status, type, title, detail, m, headers);
    }

    public Problem withHeader(String name, String value) {
        var m = new LinkedHashMap<>(headers);
        m.put(name, value);
        return new Problem(status, type, title, detail, extensions, m);
    }

    /** The problem+json body, with {@code instance} set to the request id so apps can quote it to operators. */
    public byte[] toJson(String requestId) {
        var sb = new StringBuilder(256).append('{');
        field(sb, "type", "https://portcullis.dev/problems/" + type).append(',');
        field(sb, "title", title).append(',');
        sb.append("\"status\":").append(status).append(',');
        field(sb, "detail", detail).append(',');
        field(sb, "instance", "urn:portcullis:request:" + requestId).append(',');
        field(sb, "requestId", requestId);
        for (var e : extensions.entrySet()) {
            sb.append(',');
            value(sb.append(quote(e.getKey())).append(':'), e.getValue());
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder sb, String k, String v) {
        return sb.append(quote(k)).append(':').append(quote(v));
    }

    private static void value(StringBuilder sb, Object v) {
        if (v instanceof Iterable<?> it) {
            sb.append('[');
            boolean first = true;
            for (Object o : it) {
                if (!first) sb.append(',');
                first = false;
                value(sb, o);
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (var e : map.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                value(sb.append(quote(String.valueOf(e.getKey()))).append(':'), e.getValue());
            }
            sb.append('}');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            sb.append(quote(String.valueOf(v)));
        }
    }

    static String quote(String s) {
        return io.portcullis.core.json.JsonStrings.quote(s);
    }
}
