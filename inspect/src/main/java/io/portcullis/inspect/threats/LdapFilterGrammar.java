package io.portcullis.inspect.threats;

/**
 * LDAP filter injection (RFC 4515 syntax): a value that closes the application's filter component and opens a new
 * one. Reported: {@code )(} followed by a filter component - a boolean operator ({@code &}, {@code |}, {@code !}) or
 * an attribute description (name or OID, options and matching rule allowed) and a filter type
 * ({@code =}, {@code ~=}, {@code >=}, {@code <=}, {@code :=}); a nested {@code (|(attr=} / {@code (&(attr=}
 * component; and a wildcard that closes components ({@code *)}) followed by another {@code )} or a NUL.
 * "(see attached)(2 files)" does not form a filter component and is not reported. Linear.
 */
final class LdapFilterGrammar {
    private LdapFilterGrammar() {}

    static void inspect(String s, Hits hits) {
        int len = s.length();
        int checks = 0;
        for (int i = 0; i < len && checks < 128; i++) {
            char c = s.charAt(i);
            if (c == ')') {
                checks++;
                int j = i + 1;
                while (j < len && s.charAt(j) == ')') j++;
                if (j < len && s.charAt(j) == '(') {
                    int open = j + 1;
                    while (open < len && open - j < 4 && s.charAt(open) == '(') open++;
                    int comp = component(s, open);
                    if (comp > 0) {
                        hits.add(ThreatCategory.LDAPI, comp, "LDAP: value closes the filter and opens a new component", s, i, Math.min(len, j + 16));
                        return;
                    }
                }
                if (i > 0 && s.charAt(i - 1) == '*' && j < len && (s.charAt(j) == '\0') ) {
                    hits.add(ThreatCategory.LDAPI, 80, "LDAP: wildcard closing the filter", s, i - 1, j + 1);
                    return;
                }
                if (i > 0 && s.charAt(i - 1) == '*' && j - i >= 2 && (i == 1 || j == len)) {
                    hits.add(ThreatCategory.LDAPI, 75, "LDAP: wildcard closing the filter", s, i - 1, j);
                    return;
                }
            } else if (c == '(' && i + 1 < len && (s.charAt(i + 1) == '|' || s.charAt(i + 1) == '&') && i + 2 < len && s.charAt(i + 2) == '(') {
                checks++;
                if (attributeFilter(s, i + 3) > 0) {
                    hits.add(ThreatCategory.LDAPI, 85, "LDAP: nested boolean filter component", s, i, Math.min(len, i + 16));
                    return;
                }
            }
        }
    }

    /** Score of a filter component starting at p (just after '('), 0 if not one. */
    private static int component(String s, int p) {
        int len = s.length();
        if (p >= len) return 0;
        char c = s.charAt(p);
        if (c == '&' || c == '|' || c == '!') {
            if (p + 1 >= len) return 80;
            char d = s.charAt(p + 1);
            if (d == ')' || d == '(') return 88;
            return c != '!' && attributeFilter(s, p + 1) > 0 ? 80 : 0;
        }
        return attributeFilter(s, p);
    }

    private static int attributeFilter(String s, int p) {
        int len = s.length();
        int j = p;
        if (j >= len) return 0;
        char f = s.charAt(j);
        boolean oid = Character.isDigit(f);
        if (!MarkupInjectionGrammar.isAsciiLetter(f) && !oid) return 0;
        while (j < len && j - p < 64) {
            char c = s.charAt(j);
            if (MarkupInjectionGrammar.isAsciiLetter(c) || Character.isDigit(c) && c < 128 || c == '-' || c == ';' || c == '.') j++;
            else break;
        }
        if (oid) { // an OID must have a dot
            if (s.substring(p, j).indexOf('.') < 0) return 0;
        }
        if (j < len && s.charAt(j) == ':') { // extensible match :dn:1.2.3:=
            int k = j;
            while (k < len && k - j < 64 && s.charAt(k) != '=' && s.charAt(k) != ')' && s.charAt(k) != '(') k++;
            if (k < len && s.charAt(k) == '=' && s.charAt(k - 1) == ':') return 88;
            return 0;
        }
        if (j < len && s.charAt(j) == '=') return 88;
        if (j + 1 < len && (s.charAt(j) == '~' || s.charAt(j) == '>' || s.charAt(j) == '<') && s.charAt(j + 1) == '=') return 88;
        return 0;
    }
}
