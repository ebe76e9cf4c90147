package io.portcullis.gateway.credential;

import java.util.function.BiConsumer;

/**
 * What to add to one outbound request: headers to set (replacing any the app sent) and at most one query
 * parameter. Immutable and reusable: a cached token's attachment is built once and handed to every request
 * until the token is renewed, so the cache-hit path allocates nothing.
 *
 * <p>{@link #toString()} names the scheme and header names only, never the values.
 */
public final class Attachment {
    private final String scheme;
    private final String[] names;
    private final String[] values;
    private final String queryName;
    private final String queryValue;
    private final boolean weak;
    final CachedToken token; // null for static credentials
    final String origin;     // DPoP nonce bookkeeping, null otherwise
    private final String auditReason;
    /** The header names as Netty ASCII strings: their hash is computed once, not on every request. */
    private final io.netty.util.AsciiString[] asciiNames;
    private final io.netty.util.AsciiString[] asciiValues;

    Attachment(String scheme, String[] names, String[] values, String queryName, String queryValue, boolean weak,
               CachedToken token, String origin) {
        this.scheme = scheme;
        this.names = names;
        this.values = values;
        this.queryName = queryName;
        this.queryValue = queryValue;
        this.weak = weak;
        this.token = token;
        this.origin = origin;
        this.auditReason = "vendor credential attached (" + scheme + ")";
        this.asciiNames = new io.netty.util.AsciiString[names.length];
        for (int i = 0; i < names.length; i++) asciiNames[i] = new io.netty.util.AsciiString(names[i]);
        this.asciiValues = new io.netty.util.AsciiString[values.length];
        for (int i = 0; i < values.length; i++) asciiValues[i] = new io.netty.util.AsciiString(values[i]);
    }

    /** {@link #headerValue(int)} as ASCII bytes, encoded once per token rather than char by char per request. */
    public io.netty.util.AsciiString headerValueAscii(int i) {
        return asciiValues[i];
    }

    /** {@link #headerName(int)} as an ASCII string (for setting it on a request). */
    public io.netty.util.AsciiString headerNameAscii(int i) {
        return asciiNames[i];
    }

    /** The audit line for this attachment (scheme only; built once, reused by every request). */
    public String auditReason() {
        return auditReason;
    }

    /** How the credential is attached, for the audit trail: {@code header}, {@code bearer}, {@code basic}, {@code query}, {@code oauth2}, {@code dpop}. */
    public String scheme() {
        return scheme;
    }

    /** True when the credential travels in the query string (flag it in the audit). */
    public boolean weak() {
        return weak;
    }

    public int headerCount() {
        return names.length;
    }

    public String headerName(int i) {
        return names[i];
    }

    /** The header value — secret material: put it on the wire, never in a log. */
    public String headerValue(int i) {
        return values[i];
    }

    public void forEachHeader(BiConsumer<String, String> sink) {
        for (int i = 0; i < names.length; i++) sink.accept(names[i], values[i]);
    }

    /** The query parameter to add (already percent-encoded), or null. */
    public String queryName() {
        return queryName;
    }

    public String queryValue() {
        return queryValue;
    }

    /** {@code rawQuery} (may be null) with this attachment's parameter appended, percent-encoded. */
    public String appendToQuery(String rawQuery) {
        if (queryName == null) return rawQuery;
        String p = queryName + "=" + queryValue;
        return rawQuery == null || rawQuery.isEmpty() ? p : rawQuery + "&" + p;
    }

    @Override
    public String toString() {
        return "Attachment[" + scheme + ", headers=" + java.util.Arrays.toString(names)
                + (queryName != null ? ", query=" + queryName : "") + ", values redacted]";
    }
}
