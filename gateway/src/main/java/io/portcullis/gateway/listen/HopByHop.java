package io.portcullis.gateway.listen;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Removes hop-by-hop fields (RFC 9110 §7.6.1) and HTTP/2 conversion artefacts before a message is relayed. */
final class HopByHop {
    private static final List<String> FIXED = List.of("connection", "keep-alive", "proxy-connection", "te", "transfer-encoding",
            "upgrade", "trailer", "proxy-authorization", "proxy-authenticate", "http2-settings");

    private HopByHop() {}

    /** One pass over the names (a request has a handful) instead of ten hashed removals of absent fields. */
    private static boolean anyFixed(HttpHeaders h) {
        var it = h.iteratorCharSequence();
        while (it.hasNext()) {
            CharSequence n = it.next().getKey();
            for (String f : FIXED) {
                if (f.length() == n.length() && io.netty.util.AsciiString.contentEqualsIgnoreCase(f, n)) return true;
            }
        }
        return false;
    }

    static void strip(HttpHeaders h) {
        strip(h, true);
    }

    /** {@code fromHttp2}: the message was converted from HTTP/2, so Netty's x-http2-* extension headers may be present. */
    static void strip(HttpHeaders h, boolean fromHttp2) {
        List<String> named = null;
        for (String v : h.getAll(HttpHeaderNames.CONNECTION)) {
            for (String t : v.split(",")) {
                String n = t.trim().toLowerCase(Locale.ROOT);
                if (!n.isEmpty()) {
                    if (named == null) named = new ArrayList<>();
                    named.add(n);
                }
            }
        }
        if (named != null || anyFixed(h)) for (String n : FIXED) h.remove(n);
        if (named != null) for (String n : named) h.remove(n);
        if (!fromHttp2) return;
        // Netty's HTTP/2 -> HTTP/1 conversion adds x-http2-* extension headers; they are ours, not the app's.
        List<String> ext = null;
        for (var e : h) {
            if (e.getKey().regionMatches(true, 0, "x-http2-", 0, 8)) {
                if (ext == null) ext = new ArrayList<>();
                ext.add(e.getKey());
            }
        }
        if (ext != null) for (String n : ext) h.remove(n);
    }
}
