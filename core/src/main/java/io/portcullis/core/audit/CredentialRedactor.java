package io.portcullis.core.audit;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Defence-in-depth redaction applied by the audit sink to everything it writes. Producers are responsible for never
 * handing over secrets; this class catches the usual slips:
 * <ul>
 *   <li>{@link #query}: every query value becomes {@code REDACTED}; names are kept.</li>
 *   <li>{@link #isSensitiveKey}: attribute/header-like keys naming credentials (authorization, cookie, token,
 *       secret, key, password, credential, session, signature, private) have their values replaced.</li>
 *   <li>{@link #text}: free text (messages, errors, reasons, finding details) is scrubbed of bearer/basic tokens,
 *       JWTs, URL query values, and a few well-known vendor key prefixes (formats from the vendors' public docs:
 *       Stripe {@code sk_live_}, GitHub {@code ghp_}, AWS {@code AKIA}, Slack {@code xox?-}).</li>
 *   <li>{@link #authScheme}: only a short scheme-shaped word passes; anything that looks like a credential is
 *       written as {@code "other"}.</li>
 * </ul>
 * All methods are pure and thread-safe.
 */
public final class CredentialRedactor {

    public static final String REDACTED = "REDACTED";

    private static final Pattern SENSITIVE_KEY = Pattern.compile(
            "authoriz|cookie|token|secret|key|passw|pwd|credential|session|signature|private|bearer");
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_.\\-\\[\\]%]{1,64}");
    private static final Pattern AUTH_SCHEME = Pattern.compile("[a-z][a-z0-9]{0,19}(?:-[a-z0-9]{1,20}){0,4}");
    private static final Pattern[] TEXT_SECRETS = {
        // scheme words followed by a credential-looking run
        Pattern.compile("(?i)\\b(bearer|basic|token|api[-_]?key|apikey|secret|password|dpop)(\\s*[:=]\\s*|\\s+)[A-Za-z0-9._~+/=\\-]{6,}"),
        // JWT / JWS compact serialisation
        Pattern.compile("\\beyJ[A-Za-z0-9_\\-]{4,}\\.[A-Za-z0-9_\\-]{4,}\\.[A-Za-z0-9_\\-]*"),
        // Well-known vendor key prefixes (public formats)
        Pattern.compile("\\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}"),
        Pattern.compile("\\bgh[pousr]_[A-Za-z0-9]{20,}"),
        Pattern.compile("\\bAKIA[0-9A-Z]{16}\\b"),
        Pattern.compile("\\bxox[abprs]-[A-Za-z0-9\\-]{10,}"),
    };
    /** One cheap scan that finds any place where one of the patterns above (or a URL query) might match. */
    private static final Pattern MAYBE_SECRET = Pattern.compile(
            "(?i)bearer|basic|token|api[-_]?key|secret|password|dpop|eyJ|_live_|_test_|gh[pousr]_|AKIA|xox[abprs]-|[?&][^=&\\s#?]+=");
    private static final Pattern URL_QUERY_VALUE = Pattern.compile("([?&][^=&\\s#?]{1,128}=)[^&\\s#]+");

    private CredentialRedactor() {
    }

    /** True if a value stored under this key must not be written. Case-insensitive substring match. */
    public static boolean isSensitiveKey(String key) {
        if (key == null) return false;
        Boolean known = SENSITIVE_KEYS.get(key);
        if (known != null) return known;
        boolean sensitive = SENSITIVE_KEY.matcher(key.toLowerCase(Locale.ROOT)).find();
        if (SENSITIVE_KEYS.size() >= MEMO_MAX_ENTRIES) SENSITIVE_KEYS.clear();
        SENSITIVE_KEYS.put(key, sensitive);
        return sensitive;
    }

    /** Verdicts on attribute and header names seen so far (names come from a small set: code and config). */
    private static final java.util.concurrent.ConcurrentHashMap<String, Boolean> SENSITIVE_KEYS = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Redacts every value of a query string (without {@code '?'}): {@code a=1&b=&c} becomes
     * {@code a=REDACTED&b=REDACTED&c}. A bare component without {@code '='} is kept only if it is a short
     * identifier-like name, else replaced. Returns null for null.
     */
    public static String query(String query) {
        if (query == null) {
            return null;
        }
        if (query.startsWith("?")) {
            query = query.substring(1);
        }
        StringBuilder out = new StringBuilder(Math.min(query.length() + 16, 4096));
        int start = 0;
        int n = query.length();
        while (start <= n) {
            int amp = query.indexOf('&', start);
            int end = amp < 0 ? n : amp;
            String part = query.substring(start, end);
            if (out.length() > 0 || start > 0) {
                out.append('&');
            }
            int eq = part.indexOf('=');
            if (eq >= 0) {
                String name = part.substring(0, eq);
                out.append(SAFE_NAME.matcher(name).matches() || name.isEmpty() ? name : REDACTED).append('=').append(REDACTED);
            } else if (!part.isEmpty()) {
                out.append(SAFE_NAME.matcher(part).matches() && part.length() <= 32 ? part : REDACTED);
            }
            if (amp < 0) {
                break;
            }
            start = amp + 1;
        }
        return out.toString();
    }

    /** Scrubs credential-looking substrings out of free text. Returns null for null. */
    /**
     * Redacted forms of recently seen short texts. Policy reasons repeat ("app billing may call acme/core"),
     * so most lookups hit; the map is cleared when full, which keeps it bounded without an LRU.
     */
    private static final int MEMO_MAX_ENTRIES = 4096;
    private static final int MEMO_MAX_LENGTH = 256;
    private static final java.util.concurrent.ConcurrentHashMap<String, String> MEMO = new java.util.concurrent.ConcurrentHashMap<>();

    public static String text(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        if (text.length() > MEMO_MAX_LENGTH) return scrub(text);
        String done = MEMO.get(text);
        if (done != null) return done;
        done = scrub(text);
        if (MEMO.size() >= MEMO_MAX_ENTRIES) MEMO.clear();
        MEMO.put(text, done);
        return done;
    }

    private static String scrub(String text) {
        if (text.length() < 6 || !MAYBE_SECRET.matcher(text).find()) {
            return text; // fast path: nothing credential-shaped
        }
        String s = text;
        for (Pattern p : TEXT_SECRETS) {
            Matcher m = p.matcher(s);
            if (m.find()) {
                if (p == TEXT_SECRETS[0]) {
                    s = m.replaceAll(mr -> Matcher.quoteReplacement(mr.group(1) + mr.group(2) + REDACTED));
                } else {
                    s = m.replaceAll(REDACTED);
                }
            }
        }
        Matcher q = URL_QUERY_VALUE.matcher(s);
        if (q.find()) {
            s = q.replaceAll("$1" + REDACTED);
        }
        return s;
    }

    /** An attribute value: {@code REDACTED} under a sensitive key, else scrubbed text. */
    public static String attribute(String key, String value) {
        return isSensitiveKey(key) ? REDACTED : text(value);
    }

    /**
     * The auth scheme name if it is scheme-shaped (lowercase words joined by hyphens, each word at most 20
     * characters, e.g. {@code oauth2-client-credentials}), else {@code "other"}; null for null.
     */
    public static String authScheme(String scheme) {
        if (scheme == null) {
            return null;
        }
        String known = SCHEMES.get(scheme);
        if (known != null) return known;
        String verdict = AUTH_SCHEME.matcher(scheme).matches() && !looksLikeCredential(scheme) ? scheme : "other";
        if (SCHEMES.size() >= MEMO_MAX_ENTRIES) SCHEMES.clear();
        SCHEMES.put(scheme, verdict);
        return verdict;
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, String> SCHEMES = new java.util.concurrent.ConcurrentHashMap<>();

    private static boolean looksLikeCredential(String s) {
        // A word of 12+ characters mixing letters and digits is more likely a key than a scheme name.
        for (String word : s.split("-")) {
            if (word.length() >= 12 && word.chars().anyMatch(Character::isDigit)) {
                return true;
            }
        }
        return false;
    }
}
