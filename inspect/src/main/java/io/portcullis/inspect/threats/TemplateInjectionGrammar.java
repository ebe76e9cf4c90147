package io.portcullis.inspect.threats;

import java.util.Locale;

/**
 * Server-side template and expression-language injection. Finds template delimiters ({@code {{ }}}, {@code ${ }},
 * {@code #{ }}, {@code *{ }}, {@code <%= %>}, {@code {% %}}, {@code @( )}, FreeMarker {@code <#assign>}, Velocity
 * {@code #set(}, Smarty {@code {php}}) and classifies what is inside. Reported: JNDI and other lookups
 * ({@code ${jndi:...}}, nested {@code ${lower:j}}); arithmetic on literals ({@code 7*7}, the classic probe); dunder
 * attribute chains ({@code __class__}); method calls on literals ({@code ''.__class__}, {@code [].constructor});
 * references to runtime objects ({@code T(java.lang.Runtime)}, {@code getClass}, {@code popen}, {@code config},
 * {@code request}, {@code self}); and polyglot probes mixing three kinds of delimiters. Plain placeholders
 * ({@code {{ customer.name }}}, {@code ${HOME}}, {@code {{#each items}}}) are not reported.
 *
 * <p>Linear: at most 64 delimiters, each content read bounded to 512 characters.
 */
final class TemplateInjectionGrammar {
    private static final String[] RUNTIME_NAMES = {"__", "getclass", "forname", "runtime", "getruntime", "exec(", "popen",
            "system(", "import", "subprocess", "eval(", "constructor", "config", "self.", "self ", "request.", "request ",
            "processbuilder", "lipsum", "cycler", "joiner", "namespace", "getenv", "classloader", "protectiondomain",
            "?new(", "execute", "child_process", "require(", "process.", "global.", "mainmodule", "java.lang", "getattr",
            "builtins", "globals", "class.", ".class", "sessionscope", "applicationscope", "facescontext", "object.", "invoke("};
    private static final String[] LOOKUPS = {"jndi:", "lower:", "upper:", "env:", "sys:", "java:", "ctx:", "main:",
            "base64:", "bundle:", "date:", "docker:", "k8s:", "log4j:", "marker:", "map:", "sd:", "spring:", "web:"};

    private TemplateInjectionGrammar() {}

    static void inspect(String s, Hits hits) {
        int len = s.length();
        int openers = 0;
        boolean dbl = false, dollar = false, pct = false, hash = false;
        int seen = 0;
        for (int i = 0; i + 1 < len && seen < 64; i++) {
            char c = s.charAt(i), d = s.charAt(i + 1);
            int contentStart = -1;
            String close = null;
            if (c == '{' && d == '{') {
                dbl = true;
                contentStart = i + 2;
                close = "}}";
            } else if ((c == '$' || c == '#' || c == '*' || c == '@') && d == '{') {
                if (c == '$') dollar = true;
                if (c == '#') hash = true;
                contentStart = i + 2;
                close = "}";
            } else if (c == '<' && d == '%') {
                pct = true;
                contentStart = i + 2;
                if (contentStart < len && (s.charAt(contentStart) == '=' || s.charAt(contentStart) == '-')) contentStart++;
                close = "%>";
            } else if (c == '{' && d == '%') {
                pct = true;
                contentStart = i + 2;
                close = "%}";
            } else if (c == '@' && d == '(') {
                contentStart = i + 2;
                close = ")";
            } else if (c == '<' && d == '#' && s.startsWith("assign", i + 2)) {
                hits.add(ThreatCategory.SSTI, 85, "SSTI: FreeMarker directive", s, i, Math.min(len, i + 16));
                contentStart = i + 2;
                close = ">";
            } else if (c == '#' && (s.startsWith("#set(", i) || s.startsWith("#set (", i))) {
                contentStart = i + 5;
                close = ")";
                int e = Math.min(len, contentStart + 512);
                if (dangerous(s, contentStart, e)) hits.add(ThreatCategory.SSTI, 90, "SSTI: Velocity directive with runtime access", s, i, e);
                continue;
            } else if (c == '{' && s.startsWith("{php}", i)) {
                hits.add(ThreatCategory.SSTI, 90, "SSTI: Smarty php block", s, i, Math.min(len, i + 16));
                continue;
            } else {
                continue;
            }
            seen++;
            openers++;
            int end = indexOf(s, close, contentStart, Math.min(len, contentStart + 512));
            int contentEnd = end < 0 ? Math.min(len, contentStart + 512) : end;
            classify(s, c, contentStart, contentEnd, end >= 0, hits, i);
        }
        int kinds = (dbl ? 1 : 0) + (dollar ? 1 : 0) + (pct ? 1 : 0) + (hash ? 1 : 0);
        if (kinds >= 3 || (kinds >= 2 && openers >= 3 && len < 64)) {
            hits.add(ThreatCategory.SSTI, 80, "SSTI: template polyglot probe", s, 0, len);
        }
    }

    private static int indexOf(String s, String needle, int from, int to) {
        int i = s.indexOf(needle, from);
        return i >= 0 && i < to ? i : -1;
    }

    private static void classify(String s, char opener, int a, int b, boolean closed, Hits hits, int at) {
        // trim
        while (a < b && s.charAt(a) <= ' ') a++;
        if (a >= b) return;
        if (opener == '$') {
            for (String l : LOOKUPS) {
                if (s.regionMatches(true, a, l, 0, l.length())) {
                    hits.add(ThreatCategory.SSTI, l.equals("jndi:") ? 97 : 85, "SSTI: lookup expression", s, at, Math.min(s.length(), b + 1));
                    return;
                }
            }
            if (s.startsWith("${", a)) { // nested lookup ${${lower:j}ndi:...}
                for (String l : LOOKUPS) {
                    if (s.regionMatches(true, a + 2, l, 0, l.length())) {
                        hits.add(ThreatCategory.SSTI, 95, "SSTI: nested lookup expression", s, at, Math.min(s.length(), b + 1));
                        return;
                    }
                }
            }
        }
        if (!closed && opener != '<') return;
        if (opener == '<' && (s.indexOf('`', a) >= 0 && s.indexOf('`', a) < b || s.startsWith("%x(", a))) {
            hits.add(ThreatCategory.SSTI, 90, "SSTI: shell command in a scriptlet", s, at, Math.min(s.length(), b + 2));
            return;
        }
        if (dangerous(s, a, b)) {
            hits.add(ThreatCategory.SSTI, 92, "SSTI: expression reaches runtime objects", s, at, Math.min(s.length(), b + 2));
            return;
        }
        if (literalArithmetic(s, a, b)) {
            hits.add(ThreatCategory.SSTI, 85, "SSTI: arithmetic on literals", s, at, Math.min(s.length(), b + 2));
            return;
        }
        char f = s.charAt(a);
        if ((f == '\'' || f == '"' || f == '[') && methodOnLiteral(s, a, b)) {
            hits.add(ThreatCategory.SSTI, 88, "SSTI: method call on a literal", s, at, Math.min(s.length(), b + 2));
        } else if (opener == '$' || opener == '#' || opener == '*') {
            if (s.regionMatches(false, a, "T(", 0, 2) || s.regionMatches(false, a, "T (", 0, 3)) {
                hits.add(ThreatCategory.SSTI, 92, "SSTI: SpEL type reference", s, at, Math.min(s.length(), b + 1));
            }
        }
    }

    private static boolean dangerous(String s, int a, int b) {
        String c = s.substring(a, b).toLowerCase(Locale.ROOT);
        for (String n : RUNTIME_NAMES) if (c.contains(n)) return true;
        return c.startsWith("t(") || c.contains(" t(") || c.contains("{t(");
    }

    /** Content made of number/string literals joined by arithmetic operators, e.g. 7*7, 7*'7', 1337*1337, 1+2. */
    private static boolean literalArithmetic(String s, int a, int b) {
        int literals = 0, ops = 0;
        int i = a;
        boolean expectOperand = true;
        while (i < b) {
            char c = s.charAt(i);
            if (c == ' ') {
                i++;
                continue;
            }
            if (expectOperand) {
                if (c >= '0' && c <= '9') {
                    while (i < b && Character.isDigit(s.charAt(i))) i++;
                } else if (c == '\'' || c == '"') {
                    int e = s.indexOf(c, i + 1);
                    if (e < 0 || e >= b || e - i > 16) return false;
                    i = e + 1;
                } else if (c == '{' || c == '(') { // ${{7*7}}
                    i++;
                    continue;
                } else {
                    return false;
                }
                literals++;
                expectOperand = false;
            } else {
                if (c == '*' || c == '+' || c == '-' || c == '/' || c == '%') {
                    ops++;
                    expectOperand = true;
                    i++;
                } else if (c == '}' || c == ')') {
                    i++;
                } else {
                    return false;
                }
            }
        }
        return literals >= 2 && ops >= 1 && !expectOperand;
    }

    private static boolean methodOnLiteral(String s, int a, int b) {
        int i = a;
        char f = s.charAt(i);
        if (f == '[') {
            int e = s.indexOf(']', i);
            if (e < 0 || e >= b) return false;
            i = e + 1;
        } else {
            int e = s.indexOf(f, i + 1);
            if (e < 0 || e >= b) return false;
            i = e + 1;
        }
        return i < b && s.charAt(i) == '.' && i + 1 < b && Character.isLetter(s.charAt(i + 1)) || i < b && s.charAt(i) == '.' && i + 1 < b && s.charAt(i + 1) == '_';
    }
}
