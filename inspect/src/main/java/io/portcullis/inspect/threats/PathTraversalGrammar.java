package io.portcullis.inspect.threats;

import java.util.Locale;

/**
 * Path traversal: counts dot-dot segments (with {@code /}, {@code \}, {@code ;} and the Unicode slash look-alikes as
 * separators, and the {@code ....//} filter-evasion form), and recognises references to sensitive system files
 * ({@code /etc/passwd}, {@code /proc/self/}, {@code win.ini}, {@code WEB-INF/web.xml}, private keys, ...) either reached
 * by traversal or given as the whole value or a {@code file:} URL. Score: three or more dot-dot segments, or any
 * traversal that reaches a sensitive file, or traversal that only appeared after decoding, or a NUL byte after a path.
 * Two plain segments ({@code ../../img/logo.png}) alone stay below the threshold.
 *
 * <p>Linear: one pass to normalise separators, one to count segments, bounded suffix checks.
 */
final class PathTraversalGrammar {
    private static final String[] SENSITIVE = {"etc/passwd", "etc/shadow", "etc/group", "etc/hosts", "etc/issue",
            "etc/hostname", "etc/sudoers", "proc/self/", "proc/version", "proc/1/", "windows/win.ini", "win.ini",
            "system.ini", "boot.ini", "windows/system32", "system32/config/sam", "web-inf/web.xml", "web.config",
            ".ssh/id_rsa", ".ssh/authorized_keys", ".env", ".htpasswd", ".git/config", "var/log/", "root/",
            "var/run/secrets/", ".aws/credentials", "inetpub/wwwroot"};

    private PathTraversalGrammar() {}

    static void inspect(String s, boolean decoded, Hits hits) {
        int len = s.length();
        StringBuilder n = null;
        boolean hasDots = false, hasSep = false;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '.' && i + 1 < len && s.charAt(i + 1) == '.') hasDots = true;
            if (c == '/' || c == '\\') hasSep = true;
        }
        if (!hasSep && !hasDots && s.indexOf("0x") < 0 && s.indexOf('\u2215') < 0 && s.indexOf('\uff0f') < 0) return;
        // normalise separators to '/', lower-case ASCII
        n = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '0' && i + 3 < len && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                    && ((s.charAt(i + 2) == '2' && (s.charAt(i + 3) == 'f' || s.charAt(i + 3) == 'F'))
                    || (s.charAt(i + 2) == '5' && (s.charAt(i + 3) == 'c' || s.charAt(i + 3) == 'C')))) {
                n.append('/'); // hex literal of a slash: 0x2f, 0x5c
                i += 3;
                continue;
            }
            if (c == '\\' || c == '\u2215' || c == '\u2216' || c == '\uff0f' || c == '\uff3c' || c == '\u2044') c = '/';
            else if (c >= 'A' && c <= 'Z') c = (char) (c + 32);
            n.append(c);
        }
        String t = n.toString();
        len = t.length();
        int dotSegments = 0;
        int lastTraversalEnd = -1;
        int segStart = 0;
        for (int i = 0; i <= len; i++) {
            char c = i < len ? t.charAt(i) : '/';
            if (c == '/' || c == ';' || c == '?' || c == '=' || c == ' ') {
                if (i - segStart >= 2 && onlyDots(t, segStart, i) && i < len && (c == '/' || c == ';')) {
                    dotSegments++;
                    lastTraversalEnd = i + 1;
                }
                segStart = i + 1;
            }
        }
        int nul = t.indexOf('\0');
        String sensitiveAfter = lastTraversalEnd >= 0 ? sensitiveAt(t, lastTraversalEnd) : null;
        if (dotSegments >= 1 && sensitiveAfter != null) {
            hits.add(ThreatCategory.PATH_TRAVERSAL, 92, "PATH: traversal to a sensitive file", s, 0, len);
        } else if (dotSegments >= 3) {
            hits.add(ThreatCategory.PATH_TRAVERSAL, 85, "PATH: three or more dot-dot segments", s, 0, len);
        } else if (dotSegments >= 1 && (decoded || nul >= 0)) {
            hits.add(ThreatCategory.PATH_TRAVERSAL, 80, "PATH: encoded dot-dot traversal", s, 0, len);
        } else if (dotSegments == 2) {
            hits.add(ThreatCategory.PATH_TRAVERSAL, 40, "PATH: two dot-dot segments", s, 0, len);
        }
        // direct reference to a sensitive file: whole value, file: URL, or after '='
        String v = t.strip();
        int from = -1;
        if (v.startsWith("file:")) {
            from = 5;
            while (from < v.length() && v.charAt(from) == '/') from++;
            if (from + 2 < v.length() && v.charAt(from + 1) == ':' && v.charAt(from + 2) == '/') from += 3; // file:///c:/
        } else if (v.startsWith("/")) {
            from = 0;
            while (from < v.length() && (v.charAt(from) == '/' || v.charAt(from) == '.')) from++;
        } else if (v.length() > 3 && Character.isLetter(v.charAt(0)) && v.charAt(1) == ':' && v.charAt(2) == '/') {
            from = 3;
        }
        if (from >= 0 && from < v.length()) {
            String hit = sensitiveAt(v, from);
            if (hit != null && (v.length() - from) <= hit.length() + 40) {
                hits.add(ThreatCategory.PATH_TRAVERSAL, 85, "PATH: reference to a sensitive system file", s, 0, len);
            }
        }
    }

    private static boolean onlyDots(String t, int a, int b) {
        for (int i = a; i < b; i++) if (t.charAt(i) != '.') return false;
        return true;
    }

    /** The sensitive suffix starting at (or within a few segments after) position p, or null. */
    private static String sensitiveAt(String t, int p) {
        int q = p;
        for (int hop = 0; hop < 4 && q < t.length(); hop++) {
            while (q < t.length() && (t.charAt(q) == '/' || t.charAt(q) == '.' && q + 1 < t.length() && t.charAt(q + 1) == '/')) q++;
            for (String s : SENSITIVE) if (t.startsWith(s, q)) return s;
            if (t.startsWith(".", q) && !t.startsWith("..", q)) {
                for (String s : SENSITIVE) if (s.startsWith(".") && t.startsWith(s, q)) return s;
            }
            int next = t.indexOf('/', q);
            if (next < 0) break;
            q = next + 1;
        }
        return null;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
