package io.portcullis.gateway.credential;

import java.util.Locale;

/**
 * The request a credential is attached to, as it will leave for the vendor.
 *
 * @param method    HTTP method, upper case
 * @param scheme    {@code https} or {@code http}
 * @param authority host[:port] of the vendor
 * @param path      path without query or fragment (what DPoP's {@code htu} covers)
 */
public record RequestTarget(String method, String scheme, String authority, String path) {
    /** {@code scheme://authority} lower-cased: the key for per-server state such as DPoP nonces. */
    public String origin() {
        return scheme.toLowerCase(Locale.ROOT) + "://" + authority.toLowerCase(Locale.ROOT);
    }

    /** The DPoP {@code htu}: scheme, authority and path; never the query or fragment (RFC 9449 §4.2). */
    public String htu() {
        return origin() + (path.isEmpty() ? "/" : path);
    }

    /** From an absolute URL; the query and fragment are dropped. */
    public static RequestTarget of(String method, java.net.URI url) {
        String auth = url.getRawAuthority();
        String path = url.getRawPath() == null ? "/" : url.getRawPath();
        return new RequestTarget(method.toUpperCase(Locale.ROOT), url.getScheme(), auth, path);
    }
}
