package io.portcullis.gateway.listen;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Removes hop-by-hop fields (RFC 9110 §7.6.1) and HTTP/2 conversion artefacts before a message is relayed. */
final class HopByHop {
    private static final List<AsciiString> FIXED = List.of("connection", "keep-alive", "proxy-connection", "te", "transfer-encoding",
            "upgrade", "trailer", "proxy-authorization", "proxy-authenticate", "http2-settings").stream().map(AsciiString::cached).toList();
    private static final AsciiString HTTP2_EXTENSION = AsciiString.cached("x-http2-");

    private HopByHop() {}

    static void strip(HttpHeaders h) {
        strip(h, true);
    }

    /**
     * {@code fromHttp2}: the message was converted from HTTP/2, so Netty's x-http2-* extension headers may be present.
     * One pass over the fields (a message has a handful) finds what to drop; only fields present are removed.
     */
    static void strip(HttpHeaders h, boolean fromHttp2) {
        List<CharSequence> drop = null;
        var it = h.iteratorCharSequence();
        while (it.hasNext()) {
            Map.Entry<CharSequence, CharSequence> e = it.next();
            CharSequence n = e.getKey();
            boolean hop = isFixed(n) || (fromHttp2 && n.length() > 8 && AsciiString.regionMatches(n, true, 0, HTTP2_EXTENSION, 0, 8));
            if (hop) {
                if (drop == null) drop = new ArrayList<>(4);
                drop.add(n);
            }
            if (AsciiString.contentEqualsIgnoreCase(n, HttpHeaderNames.CONNECTION)) {
                // fields named in Connection are hop-by-hop too
                String v = e.getValue().toString();
                int start = 0;
                while (start <= v.length()) {
                    int comma = v.indexOf(',', start);
                    int end = comma < 0 ? v.length() : comma;
                    String t = v.substring(start, end).trim();
                    if (!t.isEmpty()) {
                        if (drop == null) drop = new ArrayList<>(4);
                        drop.add(t.toLowerCase(Locale.ROOT));
                    }
                    if (comma < 0) break;
                    start = comma + 1;
                }
            }
        }
        if (drop != null) for (CharSequence n : drop) h.remove(n);
    }

    private static boolean isFixed(CharSequence n) {
        for (AsciiString f : FIXED) {
            if (f.length() == n.length() && f.contentEqualsIgnoreCase(n)) return true;
        }
        return false;
    }
}
