package io.portcullis.inspect.threats;

import java.util.Locale;
import java.util.Set;

/**
 * SQL injection as a grammar question. A value is an injection when, read as the tail of a SQL string literal
 * ({@code '...'} or {@code "..."}), of a number, or of raw SQL, it <em>breaks out</em> of that context and what follows
 * forms a valid SQL fragment with an effect: a boolean condition ({@code OR 1=1}), {@code UNION SELECT}, a stacked
 * statement ({@code ; DROP TABLE}), {@code ORDER BY}/{@code HAVING} probing, or a terminating comment. The fragment must
 * parse to the end of the value (or to a comment, or to an unterminated literal the application's own quote closes);
 * prose that merely contains SQL words does not parse and is not reported.
 *
 * <p>Written by hand for Portcullis: a lexer (linear, at most {@link #MAX_TOKENS} tokens per context) and a small
 * recursive-descent parser over the tokens with bounded nesting. No regular expressions.
 */
final class SqlInjectionGrammar {
    static final int MAX_TOKENS = 256;
    private static final int MAX_DEPTH = 16;

    // token kinds
    private static final int STR = 1, OPENSTR = 2, NUM = 3, WORD = 4, OP = 5, LP = 6, RP = 7, COMMA = 8, SEMI = 9,
            COMMENT = 10, DOT = 11, VAR = 12, STAR = 13, OTHER = 14;

    private static final Set<String> STATEMENTS = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER",
            "TRUNCATE", "EXEC", "EXECUTE", "DECLARE", "SHUTDOWN", "WAITFOR", "GRANT", "REVOKE", "CALL", "COPY", "MERGE",
            "REPLACE", "LOAD", "HANDLER", "RENAME", "SET");
    private static final Set<String> RESERVED = Set.of("SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER",
            "UNION", "FROM", "WHERE", "AND", "OR", "XOR", "NOT", "ORDER", "GROUP", "BY", "HAVING", "LIMIT", "INTO", "VALUES",
            "LIKE", "IN", "IS", "BETWEEN", "REGEXP", "RLIKE", "EXISTS", "ALL", "DISTINCT", "AS", "ON", "JOIN", "TABLE", "SET",
            "DIV", "MOD", "PROCEDURE", "WAITFOR", "EXEC", "EXECUTE", "DECLARE", "SHUTDOWN", "OFFSET", "SOUNDS", "COLLATE");
    /** Functions that have no business in data and are the workhorses of blind and error-based injection. */
    private static final Set<String> PROBE_FUNCTIONS = Set.of("SLEEP", "BENCHMARK", "PG_SLEEP", "EXTRACTVALUE", "UPDATEXML",
            "LOAD_FILE", "VERSION", "USER", "DATABASE", "CURRENT_USER", "SYSTEM_USER", "CHAR", "CHR", "CONCAT", "ASCII",
            "SUBSTRING", "SUBSTR", "MID", "IF", "IIF", "CONVERT", "CAST", "COUNT", "LENGTH", "ORD", "HEX", "UNHEX",
            "DBMS_PIPE.RECEIVE_MESSAGE", "UTL_INADDR.GET_HOST_ADDRESS", "XP_CMDSHELL", "GTID_SUBSET", "JSON_KEYS", "MAKE_SET",
            "ELT", "RANDOMBLOB", "SCHEMA", "DB_NAME", "HOST_NAME", "@@VERSION");

    private SqlInjectionGrammar() {}

    /** Cheap gate: could this text hold a break-out at all? */
    static boolean mayContain(String s) {
        if (s.isEmpty()) return false;
        char f = s.charAt(0);
        if ((f >= '0' && f <= '9') || f == '-' || f == ')' || f == ';') return true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') return true;
        }
        // raw context starting with a keyword (UNION SELECT ..., OR 1=1 ...)
        return f == 'u' || f == 'U' || f == 'o' || f == 'O' || f == 'a' || f == 'A';
    }

    private static final String[] CONTINUATION_WORDS = {"OR", "AND", "XOR", "UNION", "ORDER", "GROUP", "HAVING", "PROCEDURE", "INTO", "WAITFOR"};

    /**
     * Cheap look at the first token at or after p: can a continuation start there? Rejects most prose without lexing
     * the rest of the value (a break-out must be followed by ')', ';', a comment, an operator or a clause keyword).
     */
    static boolean mayContinueAt(String s, int p) {
        int len = s.length();
        while (p < len) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c == 0xa0) {
                p++;
            } else if (c == '/' && p + 1 < len && s.charAt(p + 1) == '*') {
                return true; // comment or comment-obfuscated keyword: let the lexer decide
            } else {
                break;
            }
        }
        if (p >= len) return false;
        char c = s.charAt(p);
        if (c == ')' || c == ';' || c == '#' || c == '|' || c == '&' || c == '+') return true;
        if (c == '-') return p + 1 < len && s.charAt(p + 1) == '-';
        if (!Character.isLetter(c)) return false;
        int e = p;
        while (e < len && Character.isLetter(s.charAt(e)) && e - p < 10) e++;
        if (e < len && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_')) return false;
        for (String w : CONTINUATION_WORDS) if (w.length() == e - p && s.regionMatches(true, p, w, 0, w.length())) return true;
        return false;
    }

    private static int afterLeadingNumber(String s) {
        int p = 0, len = s.length();
        if (p < len && s.charAt(p) == '-') p++;
        while (p < len && (Character.isLetterOrDigit(s.charAt(p)) || s.charAt(p) == '.') && s.charAt(p) < 128) p++;
        return p;
    }

    static void inspect(String s, Hits hits) {
        if (!mayContain(s)) return;
        Lexed raw = null;
        char f = s.charAt(0);
        // number context: value is the tail of "... WHERE id = <value>"
        int p = 0;
        if (f == '-' && s.length() > 1 && Character.isDigit(s.charAt(1))) p = 1;
        if (p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9' && mayContinueAt(s, afterLeadingNumber(s))) {
            raw = lex(s, 0);
            if (raw.n > 0 && (raw.kind[0] == NUM || (raw.kind[0] == OP && raw.n > 1 && raw.kind[1] == NUM))) {
                int start = raw.kind[0] == NUM ? 1 : 2;
                int sc = continuation(raw, start, (char) 0, s);
                if (sc > 0) {
                    hits.add(ThreatCategory.SQLI, sc, "SQL: number context followed by a SQL fragment", s, 0, s.length());
                    return;
                }
            }
        }
        // raw context: value appended to SQL code directly
        if ((f == ')' || f == ';' || f == 'u' || f == 'U' || f == 'o' || f == 'O' || f == 'a' || f == 'A') && mayContinueAt(s, 0)) {
            if (raw == null) raw = lex(s, 0);
            int sc = continuation(raw, 0, (char) 0, s);
            if (sc > 0 && (f == ')' || f == ';' || sc >= 85)) {
                hits.add(ThreatCategory.SQLI, sc, "SQL: value starts with a SQL fragment", s, 0, s.length());
                return;
            }
        }
        // string contexts: the first quote of each kind closes the application's literal
        for (char q : new char[] {'\'', '"', '`'}) {
            int qi = s.indexOf(q);
            if (qi < 0 || !mayContinueAt(s, qi + 1)) continue;
            Lexed t = lex(s, qi + 1);
            int sc = continuation(t, 0, q, s);
            if (sc > 0) {
                hits.add(ThreatCategory.SQLI, sc, "SQL: quote break-out followed by a SQL fragment", s, qi, s.length());
                return;
            }
        }
    }

    /** Tokens of s from offset 'from'. */
    static final class Lexed {
        int[] kind = new int[16];
        String[] word = new String[16];
        char[] quote = new char[16];
        int n;
        boolean truncated;
    }

    static Lexed lex(String s, int from) {
        Lexed t = new Lexed();
        int len = s.length();
        int i = from;
        while (i < len) {
            if (t.n == MAX_TOKENS) {
                t.truncated = true;
                break;
            }
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0b || c == 0xa0) {
                i++;
                continue;
            }
            if (c == '/' && i + 1 < len && s.charAt(i + 1) == '*') {
                int e = s.indexOf("*/", i + 2);
                boolean executable = i + 2 < len && s.charAt(i + 2) == '!';
                if (executable) { // MySQL executable comment: its content is code
                    i += 3;
                    while (i < len && Character.isDigit(s.charAt(i))) i++;
                    continue;
                }
                if (e < 0) { // unterminated comment swallows the rest
                    add(t, COMMENT, null, (char) 0);
                    break;
                }
                i = e + 2; // inline comment acts as whitespace
                continue;
            }
            if (c == '*' && i + 1 < len && s.charAt(i + 1) == '/') { // closer of an executable comment
                i += 2;
                continue;
            }
            if ((c == '-' && i + 1 < len && s.charAt(i + 1) == '-' && (i + 2 >= len || s.charAt(i + 2) <= ' ' || s.charAt(i + 2) == '-' || s.charAt(i + 2) == '+'))
                    || (c == '-' && i + 2 == len && s.charAt(i + 1) == '-') || c == '#') {
                add(t, COMMENT, null, (char) 0);
                break;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int j = i + 1;
                while (true) {
                    int e = s.indexOf(c, j);
                    if (e < 0) {
                        add(t, OPENSTR, null, c);
                        i = len;
                        break;
                    }
                    if (e + 1 < len && s.charAt(e + 1) == c) { // doubled quote inside literal
                        j = e + 2;
                        continue;
                    }
                    add(t, c == '`' ? WORD : STR, c == '`' ? "`" : null, c);
                    i = e + 1;
                    break;
                }
                continue;
            }
            if (c >= '0' && c <= '9' || (c == '.' && i + 1 < len && Character.isDigit(s.charAt(i + 1)))) {
                int j = i + 1;
                while (j < len && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.') && s.charAt(j) < 128) j++;
                add(t, NUM, null, (char) 0);
                i = j;
                continue;
            }
            if (c == '@') {
                int j = i + 1;
                while (j < len && (s.charAt(j) == '@' || Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) j++;
                add(t, VAR, null, (char) 0);
                i = j;
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == '$') {
                int j = i + 1;
                while (j < len && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$')) j++;
                add(t, WORD, s.substring(i, j).toUpperCase(Locale.ROOT), (char) 0);
                i = j;
                continue;
            }
            switch (c) {
                case '(' -> add(t, LP, null, (char) 0);
                case ')' -> add(t, RP, null, (char) 0);
                case ',' -> add(t, COMMA, null, (char) 0);
                case ';' -> add(t, SEMI, null, (char) 0);
                case '.' -> add(t, DOT, null, (char) 0);
                case '*' -> add(t, STAR, null, (char) 0);
                case '=', '<', '>', '!', '|', '&', '+', '-', '/', '%', '^', '~', ':' -> {
                    int j = i + 1;
                    while (j < len && j - i < 3 && "=<>!|&".indexOf(s.charAt(j)) >= 0) j++;
                    add(t, OP, s.substring(i, j), (char) 0);
                    i = j;
                    continue;
                }
                default -> add(t, OTHER, null, (char) 0);
            }
            i++;
        }
        return t;
    }

    private static void add(Lexed t, int kind, String word, char q) {
        if (t.n == t.kind.length) {
            int cap = Math.min(MAX_TOKENS, t.n * 2);
            t.kind = java.util.Arrays.copyOf(t.kind, cap);
            t.word = java.util.Arrays.copyOf(t.word, cap);
            t.quote = java.util.Arrays.copyOf(t.quote, cap);
        }
        t.kind[t.n] = kind;
        t.word[t.n] = word;
        t.quote[t.n] = q;
        t.n++;
    }

    /** Parser state over one token list. */
    private static final class Parser {
        final Lexed t;
        final char q;
        int strength; // 0 none, 1 weak, 2 strong

        Parser(Lexed t, char q) {
            this.t = t;
            this.q = q;
        }

        int kind(int i) {
            return i < t.n ? t.kind[i] : 0;
        }

        boolean word(int i, String w) {
            return i < t.n && t.kind[i] == WORD && w.equals(t.word[i]);
        }

        boolean op(int i, String... ops) {
            if (i >= t.n || t.kind[i] != OP) return false;
            for (String o : ops) if (o.equals(t.word[i])) return true;
            return false;
        }

        /** True when position i is a valid end of the injected fragment. */
        boolean endsAt(int i) {
            if (i >= t.n) return !t.truncated;
            int k = t.kind[i];
            if (k == COMMENT) return true;
            if (k == SEMI) return i + 1 >= t.n || kind(i + 1) == COMMENT || statementAt(i + 1) > 0;
            return false;
        }

        /** Skips a balanced (...) starting at LP; returns index after RP, or t.n if unclosed at end. -1 on garbage. */
        int skipGroup(int i) {
            int depth = 0;
            for (int j = i; j < t.n; j++) {
                if (t.kind[j] == LP) depth++;
                else if (t.kind[j] == RP && --depth == 0) return j + 1;
                else if (t.kind[j] == COMMENT) return j;
            }
            return t.n;
        }

        /** Operand: literal, column, variable, function call, subquery, unary/arith chains. Returns next index or -1. */
        int operand(int i, int depth) {
            if (depth > MAX_DEPTH) return -1;
            int k = kind(i);
            if (k == OP && (op(i, "-", "+", "~", "!"))) return operand(i + 1, depth + 1);
            if (word(i, "NOT")) return operand(i + 1, depth + 1);
            int j;
            if (k == NUM || k == STR || k == VAR) {
                j = i + 1;
            } else if (k == OPENSTR) {
                // only valid as the very last token in the same quote context: the application closes it
                if (i == t.n - 1 && t.quote[i] == q && q != 0) return t.n;
                return -1;
            } else if (k == LP) {
                if (word(i + 1, "SELECT")) {
                    strength = 2;
                    return skipGroup(i);
                }
                int e = condList(i + 1, depth + 1);
                if (e < 0) return -1;
                if (e >= t.n) return e;
                if (kind(e) != RP) return -1;
                j = e + 1;
            } else if (k == WORD) {
                String w = t.word[i];
                if (kind(i + 1) == LP) { // function call
                    strength = Math.max(strength, PROBE_FUNCTIONS.contains(w) ? 2 : 1);
                    if (!PROBE_FUNCTIONS.contains(w) && RESERVED.contains(w)) return -1;
                    j = skipGroup(i + 1);
                    if (j >= t.n) return j;
                } else if (w.equals("NULL") || w.equals("TRUE") || w.equals("FALSE")) {
                    j = i + 1;
                } else if (RESERVED.contains(w)) {
                    return -1;
                } else {
                    j = i + 1;
                    while (kind(j) == DOT && kind(j + 1) == WORD) j += 2; // schema.table.column
                }
            } else {
                return -1;
            }
            // arithmetic / concatenation chain
            if (op(j, "+", "-", "*", "/", "%", "||", "^", "&", "|") || kind(j) == STAR || word(j, "DIV") || word(j, "MOD")) {
                if (kind(j + 1) == 0) return -1;
                return operand(j + 1, depth + 1);
            }
            return j;
        }

        /** Condition; sets strength 2 when it is a comparison, probe function, subquery or EXISTS. */
        int cond(int i, int depth) {
            if (depth > MAX_DEPTH) return -1;
            if (word(i, "NOT")) return cond(i + 1, depth + 1);
            if (word(i, "EXISTS") && kind(i + 1) == LP) {
                strength = 2;
                return skipGroup(i + 1);
            }
            int before = strength;
            int j = operand(i, depth + 1);
            if (j < 0 || j >= t.n) return j;
            if (op(j, "=", "<", ">", "<=", ">=", "<>", "!=", "<=>")) {
                int e = operand(j + 1, depth + 1);
                if (e >= 0) strength = 2;
                return e;
            }
            if (word(j, "IS")) {
                int e = j + 1;
                if (word(e, "NOT")) e++;
                if (word(e, "NULL") || word(e, "TRUE") || word(e, "FALSE")) {
                    strength = 2;
                    return e + 1;
                }
                return -1;
            }
            int e = j;
            if (word(e, "NOT")) e++;
            if (word(e, "LIKE") || word(e, "REGEXP") || word(e, "RLIKE")) {
                int r = operand(e + 1, depth + 1);
                if (r >= 0) strength = 2;
                return r;
            }
            if (word(e, "IN") && kind(e + 1) == LP) {
                strength = 2;
                return skipGroup(e + 1);
            }
            if (word(e, "BETWEEN")) {
                int a = operand(e + 1, depth + 1);
                if (a < 0 || !word(a, "AND")) return -1;
                strength = 2;
                return operand(a + 1, depth + 1);
            }
            if (strength == before && strength < 2) strength = Math.max(strength, 1);
            return j;
        }

        int condList(int i, int depth) {
            int j = cond(i, depth);
            while (j >= 0 && j < t.n && boolOp(j)) j = cond(j + 1, depth + 1);
            return j;
        }

        boolean boolOp(int i) {
            return word(i, "OR") || word(i, "AND") || word(i, "XOR") || op(i, "||", "&&");
        }

        /** A stacked statement at i: returns its score or 0. */
        int statementAt(int i) {
            if (kind(i) != WORD || !STATEMENTS.contains(t.word[i])) return 0;
            String w = t.word[i];
            return switch (w) {
                case "DROP", "CREATE", "ALTER", "TRUNCATE" -> kind(i + 1) == WORD ? 95 : 0;
                case "DELETE" -> word(i + 1, "FROM") || kind(i + 1) == WORD ? 95 : 0;
                case "INSERT", "REPLACE" -> word(i + 1, "INTO") ? 95 : 0;
                case "UPDATE" -> kind(i + 1) == WORD && word(i + 2, "SET") ? 95 : 0;
                case "SELECT" -> selectShape(i) ? 95 : 0;
                case "EXEC", "EXECUTE", "CALL" -> kind(i + 1) == WORD ? 95 : 0;
                case "WAITFOR" -> word(i + 1, "DELAY") || word(i + 1, "TIME") ? 95 : 0;
                case "SHUTDOWN" -> endsAt(i + 1) || i + 1 >= t.n ? 95 : 0;
                case "DECLARE", "SET" -> kind(i + 1) == VAR ? 90 : 0;
                case "GRANT", "REVOKE" -> kind(i + 1) == WORD ? 90 : 0;
                default -> 0;
            };
        }

        boolean selectShape(int i) {
            int j = i + 1;
            if (word(j, "ALL") || word(j, "DISTINCT") || word(j, "TOP")) j++;
            if (kind(j) == NUM && word(j - 1, "TOP")) j++;
            int items = 0;
            while (j < t.n) {
                int e = kind(j) == STAR ? j + 1 : operand(j, 1);
                if (e < 0) return false;
                items++;
                if (word(e, "AS") && kind(e + 1) == WORD) e += 2;
                j = e;
                if (kind(j) == COMMA) {
                    j++;
                    continue;
                }
                break;
            }
            if (items == 0) return false;
            return j >= t.n || word(j, "FROM") || kind(j) == COMMENT || kind(j) == SEMI || kind(j) == RP
                    || word(j, "WHERE") || word(j, "UNION") || word(j, "INTO") || word(j, "LIMIT") || word(j, "ORDER");
        }
    }

    /**
     * Scores the token list from index i as the continuation after a break-out. q is the quote character the
     * application would close with (0 in number/raw context).
     */
    static int continuation(Lexed t, int i, char q, String s) {
        Parser p = new Parser(t, q);
        int closers = 0;
        while (p.kind(i) == RP) {
            i++;
            closers++;
        }
        if (i >= t.n) return 0;
        int k = t.kind[i];
        if (k == COMMENT) return q != 0 || closers > 0 ? 75 : 0;
        if (k == SEMI) {
            int st = p.statementAt(i + 1);
            return st > 0 ? st : 0;
        }
        if (p.word(i, "UNION")) {
            int j = i + 1;
            if (p.word(j, "ALL") || p.word(j, "DISTINCT")) j++;
            if (p.kind(j) == LP && p.word(j + 1, "SELECT")) return 95; // UNION(SELECT ...)
            return p.word(j, "SELECT") && p.selectShape(j) ? 95 : 0;
        }
        if (p.boolOp(i)) {
            int j = p.condList(i + 1, 0);
            if (j < 0) return 0;
            while (p.kind(j) == RP) j++;
            if (j >= t.n && t.truncated) return 0;
            if (!(j >= t.n || p.endsAt(j) || unionOrClause(p, j))) return 0;
            if (p.strength >= 2) return 90;
            // a bare truthy literal after a quote break-out, cut off by a comment: ' OR 1--, ' OR TRUE#
            if (q != 0 && j < t.n && t.kind[j] == COMMENT && j == i + 2 && (p.kind(i + 1) == NUM || p.word(i + 1, "TRUE"))) return 80;
            return 0;
        }
        if (p.word(i, "ORDER") || p.word(i, "GROUP")) {
            if (!p.word(i + 1, "BY")) return 0;
            int j = i + 2;
            int e = p.operand(j, 0);
            while (e >= 0 && p.kind(e) == COMMA) e = p.operand(e + 1, 0);
            if (e >= 0 && (p.word(e, "ASC") || p.word(e, "DESC"))) e++;
            if (e >= 0 && p.word(e, "HAVING")) return continuationHaving(p, e);
            return e >= 0 && e < t.n && p.endsAt(e) ? 80 : 0;
        }
        if (p.word(i, "HAVING")) return continuationHaving(p, i);
        if (p.word(i, "PROCEDURE") && p.word(i + 1, "ANALYSE")) return 85;
        if (p.word(i, "WAITFOR") && (p.word(i + 1, "DELAY") || p.word(i + 1, "TIME"))) return 90; // T-SQL, no ';' needed
        if (p.word(i, "INTO") && (p.word(i + 1, "OUTFILE") || p.word(i + 1, "DUMPFILE"))) return 95;
        // concatenation break-out: '+(SELECT ...)+' or '||(SELECT ...)||'
        if (q != 0 && p.op(i, "+", "||")) {
            int j = p.operand(i + 1, 0);
            if (j < 0) return 0;
            if (p.strength >= 2 && (j >= t.n || p.endsAt(j))) return 85;
        }
        return 0;
    }

    private static boolean unionOrClause(Parser p, int j) {
        return p.word(j, "UNION") || p.word(j, "ORDER") || p.word(j, "GROUP") || p.word(j, "LIMIT");
    }

    private static int continuationHaving(Parser p, int i) {
        int j = p.condList(i + 1, 0);
        if (j < 0) return 0;
        return (j < p.t.n && p.endsAt(j)) || (j >= p.t.n && p.q == 0) ? 85 : 0;
    }
}
