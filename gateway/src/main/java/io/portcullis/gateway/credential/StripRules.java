package io.portcullis.gateway.credential;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which credentials an app sent that must not reach the vendor: by default {@code Authorization},
 * {@code Proxy-Authorization}, {@code DPoP}, the API's key header and any configured extra headers, and the
 * API's key query parameter plus configured extra parameters. With {@code keepAppCredentials: true} nothing
 * is stripped (headers the broker sets are still replaced) and the exchange is flagged in the audit.
 */
public record StripRules(Set<String> headers, Set<String> queryParams, boolean keepAppCredentials) {
    static final Set<String> ALWAYS = Set.of("authorization", "proxy-authorization", "dpop");

    public StripRules {
        var h = new TreeSet<String>();
        for (String s : headers) h.add(s.toLowerCase(Locale.ROOT));
        headers = Set.copyOf(h);
        queryParams = Set.copyOf(queryParams);
    }

    static StripRules of(java.util.Collection<String> extraHeaders, java.util.Collection<String> extraQuery, boolean keep) {
        var h = new TreeSet<>(ALWAYS);
        for (String s : extraHeaders) h.add(s.toLowerCase(Locale.ROOT));
        return new StripRules(h, Set.copyOf(extraQuery), keep);
    }

    /** True when a header of this name must be removed before the request leaves. */
    public boolean stripsHeader(String name) {
        if (keepAppCredentials) return false;
        for (String h : headers) if (h.equalsIgnoreCase(name)) return true;
        return false;
    }

    /**
     * The raw query without the stripped parameters (names compared after percent-decoding); the same
     * string when nothing was removed, null when nothing remains.
     */
    public String stripQuery(String rawQuery) {
        if (keepAppCredentials || rawQuery == null || rawQuery.isEmpty() || queryParams.isEmpty()) return rawQuery;
        var out = new StringBuilder(rawQuery.length());
        boolean removed = false;
        int start = 0;
        while (start <= rawQuery.length()) {
            int amp = rawQuery.indexOf('&', start);
            if (amp < 0) amp = rawQuery.length();
            String part = rawQuery.substring(start, amp);
            int eq = part.indexOf('=');
            String rawName = eq < 0 ? part : part.substring(0, eq);
            String name;
            try {
                name = java.net.URLDecoder.decode(rawName, java.nio.charset.StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                name = rawName;
            }
            if (queryParams.contains(name)) {
                removed = true;
            } else if (!part.isEmpty()) {
                if (!out.isEmpty()) out.append('&');
                out.append(part);
            }
            start = amp + 1;
        }
        if (!removed) return rawQuery;
        return out.isEmpty() ? null : out.toString();
    }
}
