package io.portcullis.inspect.threats;

/**
 * XML external entities and entity expansion, in XML bodies and in XML carried inside string values. Reads the
 * document type declaration with a small tokenizer (no XML parser is invoked, so nothing is resolved or expanded):
 * <ul>
 *   <li>an {@code <!ENTITY} with a {@code SYSTEM} or {@code PUBLIC} identifier, or any parameter entity
 *       ({@code <!ENTITY % ...}): external entity, score 95;</li>
 *   <li>a {@code <!DOCTYPE} with an external DTD ({@code SYSTEM}/{@code PUBLIC}): 90;</li>
 *   <li>internal entities whose replacement text references other entities (billion laughs): 90;</li>
 *   <li>any other internal subset declaring entities: 70; an XInclude element: 90.</li>
 * </ul>
 * A bare {@code <!DOCTYPE name>} without subset or identifiers is not reported. Linear, at most 256 declarations.
 */
final class XmlEntityInspector {
    private XmlEntityInspector() {}

    static boolean mayContain(String s) {
        return s.indexOf("<!") >= 0 || s.indexOf(":include") >= 0 || s.indexOf("XInclude") >= 0;
    }

    static void inspect(String s, Hits hits) {
        if (!mayContain(s)) return;
        int len = s.length();
        int decls = 0;
        int entities = 0;
        boolean expansion = false;
        int i = 0;
        while (i < len && decls < 256) {
            int lt = s.indexOf("<!", i);
            if (lt < 0) break;
            decls++;
            int k = lt + 2;
            if (regionIs(s, k, "DOCTYPE")) {
                int end = declarationEnd(s, k + 7);
                String head = s.substring(k + 7, Math.min(end, subsetStart(s, k + 7, end)));
                if (hasKeyword(head, "SYSTEM") || hasKeyword(head, "PUBLIC")) {
                    hits.add(ThreatCategory.XXE, 90, "XXE: document type with an external DTD", s, lt, end);
                }
                i = k + 7;
                continue;
            }
            if (regionIs(s, k, "ENTITY")) {
                entities++;
                int end = declarationEnd(s, k + 6);
                String body = s.substring(k + 6, end);
                String trimmed = body.strip();
                if (trimmed.startsWith("%")) {
                    hits.add(ThreatCategory.XXE, 95, "XXE: parameter entity", s, lt, end);
                } else if (hasKeyword(body, "SYSTEM") || hasKeyword(body, "PUBLIC")) {
                    hits.add(ThreatCategory.XXE, 95, "XXE: external entity", s, lt, end);
                } else if (referencesEntity(body)) {
                    expansion = true;
                }
                i = end;
                continue;
            }
            i = k;
        }
        if (expansion) hits.add(ThreatCategory.XXE, 90, "XXE: recursive entity expansion", s, 0, len);
        else if (entities > 0) hits.add(ThreatCategory.XXE, 70, "XXE: internal entity declarations", s, 0, len);
        int xi = s.indexOf(":include");
        if (xi > 0 && s.lastIndexOf('<', xi) >= 0 && s.indexOf("XInclude") >= 0) {
            hits.add(ThreatCategory.XXE, 90, "XXE: XInclude", s, Math.max(0, xi - 3), Math.min(len, xi + 20));
        }
    }

    private static boolean regionIs(String s, int k, String w) {
        return s.regionMatches(true, k, w, 0, w.length());
    }

    /** End of a markup declaration: the first '>' outside quotes, or the end of the text. */
    private static int declarationEnd(String s, int from) {
        char q = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (q != 0) {
                if (c == q) q = 0;
            } else if (c == '"' || c == '\'') {
                q = c;
            } else if (c == '>' || c == '[') {
                return c == '[' ? i : i + 1;
            }
        }
        return s.length();
    }

    private static int subsetStart(String s, int from, int end) {
        int b = s.indexOf('[', from);
        return b >= 0 && b < end ? b : end;
    }

    private static boolean hasKeyword(String s, String kw) {
        int n = kw.length();
        for (int i = 0; i + n <= s.length(); i++) {
            if (s.regionMatches(true, i, kw, 0, n) && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)))
                    && (i + n == s.length() || !Character.isLetterOrDigit(s.charAt(i + n)))) {
                // outside a quoted literal: count quotes before
                int quotes = 0;
                for (int k = 0; k < i; k++) if (s.charAt(k) == '"' || s.charAt(k) == '\'') quotes++;
                if (quotes % 2 == 0) return true;
            }
        }
        return false;
    }

    private static boolean referencesEntity(String body) {
        int amp = body.indexOf('&');
        while (amp >= 0 && amp + 1 < body.length()) {
            int semi = body.indexOf(';', amp);
            if (semi > amp + 1 && semi - amp < 64 && body.charAt(amp + 1) != '#') return true;
            amp = body.indexOf('&', amp + 1);
        }
        return false;
    }
}
