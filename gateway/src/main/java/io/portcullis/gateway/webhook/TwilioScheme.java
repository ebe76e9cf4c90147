package io.portcullis.gateway.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Twilio: {@code X-Twilio-Signature: <base64>}, HMAC-SHA1 with the account's auth token over the full
 * URL Twilio requested followed by every POST form parameter, sorted by name (then value), as
 * {@code name + value} with no separators. When the URL's query carries {@code bodySHA256} (JSON
 * bodies), no parameters are appended and the body's SHA-256 must equal that hex value instead.
 *
 * <p>Like Twilio's own libraries, the URL is tried with and without the scheme's default port,
 * because proxies differ in whether they show {@code :443}. Twilio signs no timestamp;
 * {@code I-Twilio-Idempotency-Token} is reported but not signed.
 */
final class TwilioScheme implements SignatureScheme {
    static final String HEADER = "X-Twilio-Signature";
    static final int MAX_URL_CHARS = 8192;

    record Param(String name, String value) {}

    @Override
    public WebhookVerdict.Verified authenticate(WebhookRequest request, VerificationKeys keys, TimestampWindow window) {
        String value = HeaderSyntax.required(request.headers(), HEADER);
        byte[] presented = HeaderSyntax.base64(value, 20, HEADER);
        String url = request.url();
        if (url.isEmpty()) {
            throw new Refusal(RejectReason.MALFORMED_URL, "Twilio verification needs the full request URL");
        }
        if (url.length() > MAX_URL_CHARS) {
            throw new Refusal(RejectReason.MALFORMED_URL, "request URL is " + url.length() + " characters; at most " + MAX_URL_CHARS + " are accepted");
        }
        int authorityStart = url.startsWith("https://") ? 8 : url.startsWith("http://") ? 7 : -1;
        if (authorityStart < 0) {
            throw new Refusal(RejectReason.MALFORMED_URL, "request URL must start with http:// or https://");
        }
        String bodyHash = queryParameter(url, "bodySHA256");
        StringBuilder params = new StringBuilder();
        if (bodyHash == null) {
            for (Param p : sortedFormParameters(request.body())) {
                params.append(p.name()).append(p.value());
            }
        }
        byte[] suffix = params.toString().getBytes(StandardCharsets.UTF_8);
        List<byte[]> candidates = List.of(presented);
        byte[] match = null;
        Refusal mismatch = null;
        for (String variant : portVariants(url, authorityStart)) {
            try {
                match = SignatureScheme.requireHmacMatch(Hmac.SHA1, keys.hmacKeys(), candidates,
                        variant.getBytes(StandardCharsets.UTF_8), suffix);
                break;
            } catch (Refusal r) {
                if (r.reason != RejectReason.SIGNATURE_MISMATCH) {
                    throw r;
                }
                mismatch = r;
            }
        }
        if (match == null) {
            throw mismatch;
        }
        if (bodyHash != null) {
            byte[] expected = HeaderSyntax.hexOrNull(bodyHash, 32);
            if (expected == null) {
                throw new Refusal(RejectReason.MALFORMED_URL, "bodySHA256 in the URL is not 64 hex digits");
            }
            if (!MessageDigest.isEqual(expected, sha256(request.body()))) {
                throw new Refusal(RejectReason.BODY_HASH_MISMATCH, "body does not match the bodySHA256 the signed URL commits to");
            }
        }
        return new WebhookVerdict.Verified(HeaderSyntax.informationalId(request.headers(), "I-Twilio-Idempotency-Token"),
                Optional.empty(), SignatureScheme.signatureKey(match));
    }

    /** The URL as given, plus the variant with the default port added or removed. */
    static List<String> portVariants(String url, int authorityStart) {
        int authorityEnd = url.length();
        for (int i = authorityStart; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                authorityEnd = i;
                break;
            }
        }
        String authority = url.substring(authorityStart, authorityEnd);
        int hostStart = authority.lastIndexOf('@') + 1;
        int colon = authority.lastIndexOf(':');
        int bracket = authority.lastIndexOf(']');
        String defaultPort = authorityStart == 8 ? "443" : "80";
        String other;
        if (colon >= hostStart && colon > bracket) {
            // has a port: the variant drops it (only if it is the default one, as a different port is a different URL)
            if (!authority.substring(colon + 1).equals(defaultPort)) {
                return List.of(url);
            }
            other = url.substring(0, authorityStart) + authority.substring(0, colon) + url.substring(authorityEnd);
        } else {
            other = url.substring(0, authorityEnd) + ":" + defaultPort + url.substring(authorityEnd);
        }
        return List.of(url, other);
    }

    /**
     * The raw value of the first query parameter named exactly {@code name}, or null. Other parameters
     * are not decoded, so an odd but signed query elsewhere in the URL never causes a refusal.
     */
    static String queryParameter(String url, String name) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = url.indexOf('#', q);
        int end = hash < 0 ? url.length() : hash;
        int start = q + 1;
        while (start <= end) {
            int amp = url.indexOf('&', start);
            int pairEnd = amp < 0 || amp > end ? end : amp;
            int eq = url.indexOf('=', start);
            if (eq >= 0 && eq < pairEnd && eq - start == name.length() && url.startsWith(name, start)) {
                return url.substring(eq + 1, pairEnd);
            }
            start = pairEnd + 1;
        }
        return null;
    }

    static List<Param> sortedFormParameters(byte[] body) {
        List<Param> params = parseForm(new String(body, StandardCharsets.UTF_8));
        params.sort(Comparator.comparing(Param::name).thenComparing(Param::value));
        return params;
    }

    /** {@code application/x-www-form-urlencoded} pairs; '+' is a space, %XX is UTF-8. */
    static List<Param> parseForm(String text) {
        List<Param> out = new ArrayList<>();
        if (text.isEmpty()) {
            return out;
        }
        int start = 0;
        while (start <= text.length()) {
            int amp = text.indexOf('&', start);
            int end = amp < 0 ? text.length() : amp;
            if (end > start) {
                String pair = text.substring(start, end);
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String val = eq < 0 ? "" : pair.substring(eq + 1);
                out.add(new Param(decode(name), decode(val)));
            }
            start = end + 1;
        }
        return out;
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new Refusal(RejectReason.MALFORMED_BODY, "form body has an invalid percent-escape");
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
