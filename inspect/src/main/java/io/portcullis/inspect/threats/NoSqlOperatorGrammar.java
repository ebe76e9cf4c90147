package io.portcullis.inspect.threats;

import java.util.Set;

/**
 * NoSQL (MongoDB) injection: query operators where data belongs, and JavaScript break-outs aimed at {@code $where}.
 * Reported: a JSON key that is a MongoDB query/aggregation operator ({@code $where}, {@code $ne}, ...); a form or
 * query parameter name carrying an operator in brackets ({@code user[$ne]}); a string value that is itself an
 * operator object ({@code {"$gt": ""}}); and a quote break-out followed by a JavaScript statement
 * ({@code '; return true; var x='}) or a JavaScript comparison on {@code this} ({@code ' || this.role == 'admin}).
 * Ordinary keys or prices ({@code "$10"}) are not reported. Linear.
 */
final class NoSqlOperatorGrammar {
    /** MongoDB query, update and aggregation operator names (MongoDB manual, "Operators"). */
    static final Set<String> OPERATORS = Set.of("where", "ne", "eq", "gt", "gte", "lt", "lte", "in", "nin", "regex",
            "exists", "or", "and", "nor", "not", "expr", "function", "accumulator", "lookup", "elemmatch", "jsonschema",
            "mod", "text", "type", "all", "size", "options", "comment", "rand", "natural", "set", "unset", "inc", "push",
            "pull", "rename", "merge", "out", "unionwith", "graphlookup", "match", "project", "group", "addfields");

    private NoSqlOperatorGrammar() {}

    /** True when the key is a MongoDB operator ($ followed by a known operator name). */
    static boolean isOperatorKey(String key) {
        if (key.length() < 3 || key.length() > 20 || key.charAt(0) != '$') return false;
        return OPERATORS.contains(key.substring(1).toLowerCase(java.util.Locale.ROOT));
    }

    static void inspectKey(String key, Hits hits) {
        if (isOperatorKey(key.strip())) {
            hits.add(ThreatCategory.NOSQLI, 90, "NoSQL: query operator as a key", key, 0, key.length());
        } else {
            bracketOperator(key, hits);
        }
    }

    static void inspect(String s, Hits hits) {
        int len = s.length();
        if (s.indexOf('$') >= 0) {
            bracketOperator(s, hits);
            // operator object inside a string: {"$gt": ...} or { $where: ...}
            for (int i = s.indexOf('$'), n = 0; i >= 0 && n < 64; i = s.indexOf('$', i + 1), n++) {
                int e = i + 1;
                while (e < len && MarkupInjectionGrammar.isAsciiLetter(s.charAt(e))) e++;
                if (!isOperatorKey(s.substring(i, e))) continue;
                int b = i - 1;
                if (b >= 0 && (s.charAt(b) == '"' || s.charAt(b) == '\'')) b--;
                while (b >= 0 && s.charAt(b) <= ' ') b--;
                int a = e;
                if (a < len && (s.charAt(a) == '"' || s.charAt(a) == '\'')) a++;
                while (a < len && s.charAt(a) <= ' ') a++;
                if (b >= 0 && (s.charAt(b) == '{' || s.charAt(b) == ',') && a < len && s.charAt(a) == ':') {
                    hits.add(ThreatCategory.NOSQLI, 88, "NoSQL: operator object in a string", s, i, Math.min(len, a + 8));
                    return;
                }
            }
        }
        jsBreakout(s, hits);
    }

    /** name[$op] in form/query parameter names. */
    private static void bracketOperator(String s, Hits hits) {
        for (int i = s.indexOf("[$"), n = 0; i >= 0 && n < 32; i = s.indexOf("[$", i + 1), n++) {
            int e = i + 2;
            while (e < s.length() && MarkupInjectionGrammar.isAsciiLetter(s.charAt(e))) e++;
            if (e < s.length() && s.charAt(e) == ']' && isOperatorKey(s.substring(i + 1, e))) {
                hits.add(ThreatCategory.NOSQLI, 90, "NoSQL: operator in a parameter name", s, i, e + 1);
                return;
            }
        }
    }

    private static final String[] JS_STATEMENTS = {"return ", "return(", "var ", "let ", "const ", "while(", "while (",
            "sleep(", "for(", "for (", "throw ", "if(", "if (", "db.", "this."};

    /** A quote or number followed by ';' or '||'/'&&' and JavaScript. */
    private static void jsBreakout(String s, Hits hits) {
        int len = s.length();
        int p = -1;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"') {
                p = i + 1;
                break;
            }
        }
        if (p < 0 && len > 0 && Character.isDigit(s.charAt(0))) {
            p = 0;
            while (p < len && Character.isDigit(s.charAt(p))) p++;
        }
        if (p < 0) return;
        int j = p;
        while (j < len && s.charAt(j) == ' ') j++;
        if (j >= len) return;
        if (s.charAt(j) == ';') {
            j++;
            while (j < len && s.charAt(j) == ' ') j++;
            for (String st : JS_STATEMENTS) {
                if (s.startsWith(st, j)) {
                    hits.add(ThreatCategory.NOSQLI, 85, "NoSQL: break-out into server-side JavaScript", s, p - 1 < 0 ? 0 : p - 1, Math.min(len, j + 16));
                    return;
                }
            }
        } else if (s.startsWith("||", j) || s.startsWith("&&", j)) {
            int k = j + 2;
            while (k < len && s.charAt(k) == ' ') k++;
            int lim = Math.min(len, k + 128);
            boolean thisRef = s.startsWith("this.", k);
            boolean jsEq = false;
            for (int m = k; m + 1 < lim; m++) if (s.charAt(m) == '=' && s.charAt(m + 1) == '=') jsEq = true;
            if (thisRef || jsEq && s.indexOf('=', k) > 0 && s.indexOf("==", k) > 0 && !s.substring(k, lim).contains(" = ")) {
                if (thisRef || jsEq) {
                    hits.add(ThreatCategory.NOSQLI, 85, "NoSQL: break-out into a JavaScript condition", s, Math.max(0, p - 1), lim);
                }
            }
        }
    }
}
