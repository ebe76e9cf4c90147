package io.portcullis.inspect.threats;

import java.util.Set;

/**
 * Cross-site scripting as an HTML tokenizer question. Reported: a start tag of a script-capable element
 * ({@code script}, {@code iframe}, {@code object}, {@code embed}, ...); any tag carrying an event-handler attribute
 * ({@code on*=}); URL-bearing attributes whose value is a {@code javascript:}/{@code vbscript:}/{@code data:text/html}
 * URL (after removing the tab/newline characters browsers ignore); such a script URL as the whole value; an attribute
 * break-out (a quote followed by a DOM event handler); and a JavaScript-string break-out followed by a call.
 * Plain formatting markup ({@code <b>}, {@code <div class=..>}, component tags) is not reported.
 *
 * <p>Hand-written tokenizer; each tag scan stops at the next {@code >} or {@code <}, so total work is linear.
 */
final class MarkupInjectionGrammar {
    private static final Set<String> SCRIPT_TAGS = Set.of("script", "iframe", "frame", "frameset", "object", "embed",
            "applet", "base", "portal");
    private static final Set<String> URL_ATTRS = Set.of("href", "src", "action", "formaction", "data", "xlink:href",
            "background", "lowsrc", "dynsrc", "poster", "content", "codebase", "srcdoc", "style", "to", "from", "values");
    /** DOM event handler names (HTML Living Standard, "event handlers on elements"), without the "on" prefix. */
    private static final Set<String> EVENTS = Set.of("abort", "afterprint", "animationend", "animationiteration",
            "animationstart", "auxclick", "beforeprint", "beforeunload", "begin", "blur", "cancel", "canplay", "canplaythrough",
            "change", "click", "close", "contextmenu", "copy", "cuechange", "cut", "dblclick", "drag", "dragend", "dragenter",
            "dragleave", "dragover", "dragstart", "drop", "durationchange", "emptied", "end", "ended", "error", "focus",
            "focusin", "focusout", "formdata", "hashchange", "input", "invalid", "keydown", "keypress", "keyup", "load",
            "loadeddata", "loadedmetadata", "loadstart", "message", "mousedown", "mouseenter", "mouseleave", "mousemove",
            "mouseout", "mouseover", "mouseup", "mousewheel", "offline", "online", "pagehide", "pageshow", "paste", "pause",
            "play", "playing", "pointerdown", "pointerenter", "pointerleave", "pointermove", "pointerout", "pointerover",
            "pointerup", "popstate", "progress", "ratechange", "repeat", "reset", "resize", "scroll", "search", "seeked",
            "seeking", "select", "show", "start", "stalled", "storage", "submit", "suspend", "timeupdate", "toggle",
            "touchend", "touchmove", "touchstart", "transitionend", "unload", "volumechange", "waiting", "wheel", "finish",
            "bounce", "beforeinput", "selectstart", "selectionchange");

    private MarkupInjectionGrammar() {}

    static void inspect(String s, Hits hits) {
        int len = s.length();
        boolean sawLt = false, sawQuote = false, sawColon = false;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '<') sawLt = true;
            else if (c == '"' || c == '\'' || c == '`') sawQuote = true;
            else if (c == ':') sawColon = true;
        }
        if (sawLt) tags(s, hits);
        if (sawColon) scriptUrls(s, hits);
        if (sawQuote) breakouts(s, hits);
    }

    private static void tags(String s, Hits hits) {
        int len = s.length();
        int i = s.indexOf('<');
        while (i >= 0 && i < len) {
            int j = i + 1;
            if (j < len && s.charAt(j) == '/') j++;
            int nameStart = j;
            while (j < len && (isAsciiLetter(s.charAt(j)) || (j > nameStart && (Character.isDigit(s.charAt(j)) || s.charAt(j) == '-' || s.charAt(j) == ':')))) j++;
            if (j == nameStart || s.charAt(nameStart - 1) == '/' && j > nameStart) {
                boolean closing = j > nameStart && s.charAt(nameStart - 1) == '/';
                if (closing && s.regionMatches(true, nameStart, "script", 0, 6) && j - nameStart == 6) {
                    hits.add(ThreatCategory.XSS, 70, "XSS: closes a script element", s, i, j);
                }
                i = s.indexOf('<', i + 1);
                continue;
            }
            String name = s.substring(nameStart, j).toLowerCase(java.util.Locale.ROOT);
            if (SCRIPT_TAGS.contains(name)) {
                hits.add(ThreatCategory.XSS, 90, "XSS: script-capable element <" + name + ">", s, i, Math.min(len, j + 16));
            }
            // attributes until '>' or the next '<'
            int k = j;
            while (k < len) {
                char c = s.charAt(k);
                if (c == '>' || c == '<') break;
                if (c <= ' ' || c == '/' || c == '"' || c == '\'') {
                    k++;
                    continue;
                }
                int an = k;
                while (k < len && s.charAt(k) > ' ' && s.charAt(k) != '=' && s.charAt(k) != '>' && s.charAt(k) != '<' && s.charAt(k) != '/') k++;
                String attr = s.substring(an, k).toLowerCase(java.util.Locale.ROOT);
                int v = k;
                while (v < len && s.charAt(v) <= ' ') v++;
                String value = null;
                if (v < len && s.charAt(v) == '=') {
                    v++;
                    while (v < len && s.charAt(v) <= ' ') v++;
                    if (v < len && (s.charAt(v) == '"' || s.charAt(v) == '\'' || s.charAt(v) == '`')) {
                        char q = s.charAt(v);
                        int e = v + 1;
                        while (e < len && s.charAt(e) != q && s.charAt(e) != '<') e++;
                        value = s.substring(v + 1, e);
                        k = e < len && s.charAt(e) == q ? e + 1 : e;
                    } else {
                        int e = v;
                        while (e < len && s.charAt(e) > ' ' && s.charAt(e) != '>' && s.charAt(e) != '<') e++;
                        value = s.substring(v, e);
                        k = e;
                    }
                }
                if (attr.length() > 2 && attr.startsWith("on") && allLetters(attr, 2) && value != null) {
                    hits.add(ThreatCategory.XSS, 92, "XSS: event handler attribute on <" + name + ">", s, i, Math.min(len, k));
                } else if (value != null && URL_ATTRS.contains(attr)) {
                    if (attr.equals("srcdoc") && value.indexOf('<') >= 0 || attr.equals("srcdoc") && value.isEmpty()) {
                        hits.add(ThreatCategory.XSS, 85, "XSS: srcdoc document", s, i, Math.min(len, k));
                    } else if (scriptScheme(value, 0) >= 0 || (attr.equals("style") && containsIgnoreCase(value, "expression("))) {
                        hits.add(ThreatCategory.XSS, 92, "XSS: script URL in a URL attribute", s, i, Math.min(len, k));
                    } else if (attr.equals("content") && scriptSchemeAnywhere(value) >= 0) {
                        hits.add(ThreatCategory.XSS, 90, "XSS: script URL in a refresh", s, i, Math.min(len, k));
                    } else if (attr.equals("style") && scriptSchemeAnywhere(value) >= 0) {
                        hits.add(ThreatCategory.XSS, 90, "XSS: script URL in a style", s, i, Math.min(len, k));
                    }
                }
            }
            i = k < len && s.charAt(k) == '<' ? k : s.indexOf('<', Math.max(k, i + 1));
        }
    }

    /** A script URL anywhere a URL may begin (start of value, after a quote, '=', '(' or whitespace). */
    private static void scriptUrls(String s, Hits hits) {
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c != 'j' && c != 'J' && c != 'v' && c != 'V' && c != 'd' && c != 'D') continue;
            if (i > 0) {
                char p = s.charAt(i - 1);
                if (!(p <= ' ' || p == '"' || p == '\'' || p == '=' || p == '(' || p == '`')) continue;
            }
            int e = scriptScheme(s, i);
            if (e >= 0 && e < len && s.charAt(e) > ' ') {
                hits.add(ThreatCategory.XSS, 88, "XSS: script URL", s, i, Math.min(len, e + 16));
                return;
            }
        }
    }

    private static int scriptSchemeAnywhere(String v) {
        for (int i = 0; i < v.length(); i++) {
            int e = scriptScheme(v, i);
            if (e >= 0) return e;
        }
        return -1;
    }

    /**
     * If a javascript:, vbscript: or data:text/html scheme starts at i (leading spaces/control characters and embedded
     * tab/CR/LF ignored, as URL parsers do), returns the index after the ':' (or after "text/html"), else -1.
     */
    static int scriptScheme(String s, int i) {
        int len = s.length();
        while (i < len && s.charAt(i) <= ' ') i++;
        for (String scheme : new String[] {"javascript:", "vbscript:", "data:text/html", "livescript:"}) {
            int j = i, m = 0;
            while (j < len && m < scheme.length()) {
                char c = s.charAt(j);
                if (c == '\t' || c == '\n' || c == '\r') {
                    j++;
                    continue;
                }
                if (Character.toLowerCase(c) != scheme.charAt(m)) break;
                j++;
                m++;
            }
            if (m == scheme.length()) return j;
        }
        return -1;
    }

    /**
     * Attribute break-out ({@code " onmouseover="...}) and JavaScript string break-out
     * ({@code ';alert(1)//}, {@code "-alert(1)-"}).
     */
    private static void breakouts(String s, Hits hits) {
        int len = s.length();
        int found = 0;
        for (int i = 0; i < len && found < 64; i++) {
            char q = s.charAt(i);
            if (q != '"' && q != '\'' && q != '`') continue;
            found++;
            // attribute break-out: quote, whitespace or '/', then on<event> =
            int j = i + 1;
            int ws = j;
            while (j < len && (s.charAt(j) <= ' ' || s.charAt(j) == '/')) j++;
            if (j > ws && j + 2 < len && (s.charAt(j) == 'o' || s.charAt(j) == 'O') && (s.charAt(j + 1) == 'n' || s.charAt(j + 1) == 'N')) {
                int e = j + 2;
                while (e < len && isAsciiLetter(s.charAt(e))) e++;
                String ev = s.substring(j + 2, e).toLowerCase(java.util.Locale.ROOT);
                int eq = e;
                while (eq < len && s.charAt(eq) <= ' ') eq++;
                if (EVENTS.contains(ev) && eq < len && s.charAt(eq) == '=') {
                    hits.add(ThreatCategory.XSS, 88, "XSS: attribute break-out into an event handler", s, i, Math.min(len, eq + 12));
                    return;
                }
            }
            // JS string break-out: quote, optional ')' , one of ; + - * / | & , then a call, then end / comment / quote
            j = i + 1;
            while (j < len && s.charAt(j) == ')') j++;
            while (j < len && s.charAt(j) == ' ') j++;
            if (j >= len || ";+-*/|&,".indexOf(s.charAt(j)) < 0) continue;
            j++;
            while (j < len && (s.charAt(j) == ' ' || s.charAt(j) == '|' || s.charAt(j) == '&')) j++;
            int id = j;
            while (j < len && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '.' || s.charAt(j) == '_' || s.charAt(j) == '$')) j++;
            if (j == id || !Character.isLetter(s.charAt(id)) || j >= len) continue;
            char open = s.charAt(j);
            if (open != '(' && open != '`') continue;
            int close = j + 1, depth = 1;
            char closer = open == '(' ? ')' : '`';
            while (close < len && depth > 0 && close - j < 512) {
                char c = s.charAt(close);
                if (open == '(' && c == '(') depth++;
                else if (c == closer) depth--;
                close++;
            }
            if (depth != 0) continue;
            int e = close;
            while (e < len && s.charAt(e) == ' ') e++;
            boolean end = e >= len || s.startsWith("//", e) || s.startsWith("<!--", e) || s.charAt(e) == ';'
                    || (("+-*/|&,".indexOf(s.charAt(e)) >= 0) && e + 1 < len && s.indexOf(q, e + 1) >= 0 && onlyOpsUntilQuote(s, e, q));
            if (end) {
                hits.add(ThreatCategory.XSS, 82, "XSS: script string break-out followed by a call", s, i, Math.min(len, close));
                return;
            }
        }
    }

    private static boolean onlyOpsUntilQuote(String s, int e, char q) {
        for (int k = e; k < s.length() && k - e < 4; k++) {
            char c = s.charAt(k);
            if (c == q) return true;
            if ("+-*/|&, ".indexOf(c) < 0) return false;
        }
        return false;
    }

    private static boolean allLetters(String s, int from) {
        for (int i = from; i < s.length(); i++) if (!isAsciiLetter(s.charAt(i))) return false;
        return true;
    }

    static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean containsIgnoreCase(String s, String needle) {
        int n = needle.length();
        for (int i = 0; i + n <= s.length(); i++) if (s.regionMatches(true, i, needle, 0, n)) return true;
        return false;
    }
}
