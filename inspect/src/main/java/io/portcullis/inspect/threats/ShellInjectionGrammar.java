package io.portcullis.inspect.threats;

import java.util.Locale;
import java.util.Set;

/**
 * OS command injection as a shell grammar question: a command separator ({@code ;}, {@code |}, {@code ||},
 * {@code &}, {@code &&}, a newline) or a substitution ({@code $(...)}, a backtick pair attached to data) followed by a
 * command word, where the command either stands alone (a probe such as {@code id}, {@code whoami}) or takes
 * shell-shaped arguments (a path, a flag, a redirect, a variable, an address, a number for {@code sleep}/{@code ping}).
 * "Tom & Jerry; cat lovers" has a separator and a command word but plain prose arguments, so it is not reported.
 * Also the Shellshock function-definition prefix {@code () { :; };}.
 *
 * <p>Hand-written; at most 64 separators are examined and each examination reads ahead a bounded 256 characters.
 */
final class ShellInjectionGrammar {
    private static final int MAX_SEPARATORS = 64;
    private static final int LOOKAHEAD = 256;
    /** Commands an attacker runs; drawn from Unix and Windows basics and common download/reverse-shell tools. */
    private static final Set<String> COMMANDS = Set.of("cat", "ls", "id", "whoami", "uname", "ifconfig", "ipconfig", "nslookup",
            "dig", "host", "wget", "curl", "nc", "ncat", "netcat", "bash", "sh", "zsh", "ksh", "dash", "csh", "powershell",
            "pwsh", "cmd", "cmd.exe", "powershell.exe", "chmod", "chown", "tftp", "ftp", "python", "python3", "perl", "ruby",
            "php", "node", "ps", "env", "printenv", "passwd", "certutil", "bitsadmin", "telnet", "ping", "sleep", "dir",
            "type", "net", "rm", "echo", "systeminfo", "hostname", "useradd", "base64", "xterm", "busybox", "awk", "netstat",
            "pwd", "kill", "killall", "crontab", "find", "tail", "head", "more", "less", "cp", "mv", "touch", "mkdir",
            "socat", "ssh", "scp", "nohup", "timeout", "xargs", "sudo", "su", "whoami.exe", "reg", "wmic", "tasklist",
            "taskkill", "schtasks", "mshta", "rundll32", "regsvr32", "cscript", "wscript", "sed", "dd", "shutdown", "reboot",
            "eval", "exec", "sc", "nc.exe", "getent", "last", "w", "who", "uptime", "lsof", "arp", "route", "iptables", "export",
            "set", "unset", "source", "apt", "yum", "pip", "npm");
    /** Commands that are a complete probe with no arguments. */
    private static final Set<String> STANDALONE = Set.of("id", "whoami", "uname", "ifconfig", "ipconfig", "ps", "env",
            "printenv", "ls", "dir", "hostname", "systeminfo", "pwd", "netstat", "set", "w", "who", "uptime", "lsof",
            "tasklist", "getent", "reboot", "shutdown", "whoami.exe", "arp", "route", "last");

    private ShellInjectionGrammar() {}

    static void inspect(String s, Hits hits) {
        int len = s.length();
        if (s.startsWith("() {") || s.startsWith("(){")) {
            hits.add(ThreatCategory.CMDI, 95, "CMDI: shell function definition prefix (Shellshock)", s, 0, Math.min(len, 12));
            return;
        }
        int seen = 0;
        for (int i = 0; i < len && seen < MAX_SEPARATORS; i++) {
            char c = s.charAt(i);
            int after;
            boolean substitution = false;
            char closer = 0;
            if (c == ';' || c == '\n' || c == '\r') {
                after = i + 1;
            } else if (c == '|' || c == '&') {
                after = i + 1;
                if (after < len && s.charAt(after) == c) after++;
                if (c == '&' && i > 0 && Character.isLetter(s.charAt(i - 1)) && after < len && Character.isLetter(s.charAt(after))) {
                    continue; // "AT&T", "Q&A"
                }
            } else if (c == '$' && i + 1 < len && s.charAt(i + 1) == '(' && !(i + 2 < len && s.charAt(i + 2) == '(')) {
                after = i + 2;
                substitution = true;
                closer = ')';
            } else if (c == '`') {
                // a backtick pair attached to data (x`cmd`) or starting the value; markdown code spans follow a space
                if (i > 0 && (s.charAt(i - 1) <= ' ' || "([{\"'*_>".indexOf(s.charAt(i - 1)) >= 0)) {
                    int e = s.indexOf('`', i + 1);
                    i = e < 0 ? len : e; // skip the code span
                    continue;
                }
                if (i > 0 && s.charAt(i - 1) == '`') continue;
                after = i + 1;
                substitution = true;
                closer = '`';
            } else {
                continue;
            }
            seen++;
            int score = commandAt(s, after, substitution, closer, !substitution && injectionPosition(s, i));
            if (score > 0) {
                hits.add(ThreatCategory.CMDI, score, substitution ? "CMDI: command substitution" : "CMDI: separator followed by a command",
                        s, i, Math.min(len, after + 24));
                return;
            }
        }
    }

    /**
     * Whether the separator at {@code i} sits where an injected command starts rather than in prose: first in the value,
     * or after one input token that the command was appended to — an IPv4 address, a number, a file or host name with
     * a dot, or anything ending in the quote that closes the string it was spliced into ({@code 8.8.8.8 && ...},
     * {@code invoice.pdf; ...}, {@code x'; ...}). "Mon-Fri 9-17; last entry at 16:30", "Tom &amp; Jerry; cat lovers" or
     * "Attached: report.pdf; more details follow" have prose before the separator and are not in this position.
     */
    static boolean injectionPosition(String s, int i) {
        int j = i - 1;
        if (j >= 0 && s.charAt(j) == s.charAt(i) && (s.charAt(i) == '|' || s.charAt(i) == '&')) j--; // || and &&
        while (j >= 0 && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) j--;
        if (j < 0) return true;
        if (j >= 64) return false;
        for (int k = 0; k <= j; k++) if (s.charAt(k) <= ' ') return false; // more than one token before it
        String tok = s.substring(0, j + 1);
        char last = tok.charAt(tok.length() - 1);
        if (last == '\'' || last == '"') return true;
        if (isAddress(tok) || isNumber(tok)) return true;
        // a file or host name: letters/digits/-/_ with a dot inside followed by 2-5 letters or digits (invoice.pdf, example.org)
        int dot = tok.lastIndexOf('.');
        if (dot <= 0 || tok.length() - dot - 1 < 2 || tok.length() - dot - 1 > 5) return false;
        for (int k = 0; k < tok.length(); k++) {
            char t = tok.charAt(k);
            if (!(Character.isLetterOrDigit(t) || t == '.' || t == '-' || t == '_')) return false;
        }
        for (int k = dot + 1; k < tok.length(); k++) if (!Character.isLetterOrDigit(tok.charAt(k))) return false;
        return Character.isLetterOrDigit(tok.charAt(dot - 1));
    }

    /** Scores a command starting at p (after whitespace and ${IFS}); 0 when there is none. */
    private static int commandAt(String s, int p, boolean substitution, char closer, boolean injectionPosition) {
        int len = s.length();
        p = skipBlank(s, p);
        // optional path prefix /bin/, /usr/bin/, C:\Windows\System32\ ...
        int w = p;
        int lastSlash = -1;
        while (w < len && w - p < 64 && (Character.isLetterOrDigit(s.charAt(w)) || s.charAt(w) == '/' || s.charAt(w) == '\\'
                || s.charAt(w) == '.' || s.charAt(w) == '_' || s.charAt(w) == '-' || s.charAt(w) == ':')) {
            if (s.charAt(w) == '/' || s.charAt(w) == '\\') lastSlash = w;
            w++;
        }
        if (w == p) return 0;
        boolean pathPrefixed = lastSlash >= 0;
        int nameStart = pathPrefixed ? lastSlash + 1 : p;
        if (pathPrefixed) {
            String dir = s.substring(p, lastSlash + 1).toLowerCase(Locale.ROOT).replace('\\', '/');
            if (!(dir.endsWith("/bin/") || dir.endsWith("/sbin/") || dir.endsWith("/system32/") || dir.equals("/tmp/")
                    || dir.startsWith("./") || dir.startsWith("/tmp/"))) return 0;
        }
        String word = s.substring(nameStart, w).toLowerCase(Locale.ROOT);
        boolean known = COMMANDS.contains(word);
        if (!known && !(pathPrefixed && !word.isEmpty() && Character.isLetter(word.charAt(0)))) return 0;
        // arguments up to the next separator / closer
        int a = w;
        int end = a;
        while (end < len && end - a < LOOKAHEAD) {
            char c = s.charAt(end);
            if (c == ';' || c == '|' || c == '&' || c == '\n' || (closer != 0 && c == closer)) break;
            end++;
        }
        String args = s.substring(a, end);
        boolean argsEmpty = args.isBlank();
        if (substitution) {
            if (closer != 0 && (end >= len || s.charAt(end) != closer) && end - a < LOOKAHEAD && end >= len) {
                // unterminated substitution at end of value: still a command if it looks like one
                return argsEmpty || shellShaped(args, word) ? 80 : 0;
            }
            return argsEmpty || shellShaped(args, word) ? 90 : 0;
        }
        if (argsEmpty) {
            // the command ends the value or is followed by another separator
            return STANDALONE.contains(word) || pathPrefixed ? 85 : 0;
        }
        if (args.charAt(0) != ' ' && args.charAt(0) != '\t' && args.charAt(0) != '$' && args.charAt(0) != '<' && args.charAt(0) != '>') return 0;
        if (shellShaped(args, word)) return 88;
        // in injection position, a known command with a short operand list that runs to the end of the value (or the
        // next separator) is a command line, not prose: "; ps aux", "&& cat notes.txt", "; net user"
        return injectionPosition && known && end - a <= 64 && operands(args) ? 80 : 0;
    }

    /** One to three operand-shaped tokens (letters, digits and . _ / : = + - only), as a command line's arguments are. */
    static boolean operands(String args) {
        String t = args.strip();
        if (t.isEmpty()) return false;
        int tokens = 0;
        for (String tok : t.split("[ \t]+")) {
            if (++tokens > 3) return false;
            for (int k = 0; k < tok.length(); k++) {
                char c = tok.charAt(k);
                if (!(Character.isLetterOrDigit(c) || "._/:=+-".indexOf(c) >= 0)) return false;
            }
            char last = tok.charAt(tok.length() - 1);
            if (last == '.' || last == ':') return false; // ends a sentence or a label
        }
        return true;
    }

    private static int skipBlank(String s, int p) {
        int len = s.length();
        while (p < len) {
            char c = s.charAt(p);
            if (c == ' ' || c == '\t') p++;
            else if (s.startsWith("${IFS}", p)) p += 6;
            else if (s.startsWith("$IFS", p)) p += 4;
            else break;
        }
        return p;
    }

    /** Arguments that look like shell, not prose: paths, flags, redirects, variables, addresses, numbers for timing. */
    static boolean shellShaped(String args, String word) {
        String t = args.strip();
        if (t.isEmpty()) return true;
        int len = t.length();
        int tokens = 0;
        int i = 0;
        while (i < len) {
            while (i < len && (t.charAt(i) == ' ' || t.charAt(i) == '\t')) i++;
            if (i >= len) break;
            int st = i;
            while (i < len && t.charAt(i) != ' ' && t.charAt(i) != '\t') i++;
            String tok = t.substring(st, i);
            tokens++;
            char f = tok.charAt(0);
            if (f == '/' && tok.length() > 1 && (Character.isLetter(tok.charAt(1)) || tok.charAt(1) == '*')) return true; // path or /c switch
            if (f == '-' && tok.length() > 1 && (Character.isLetter(tok.charAt(1)) || tok.charAt(1) == '-')) return true; // flag
            if (f == '-' && tokens == 1 && tok.length() <= 4 && isNumber(tok.substring(1)) && tok.indexOf('.') < 0) return true; // numeric option: kill -9, head -20
            if (f == '>' || f == '<' || tok.startsWith("2>") || tok.startsWith("0>") || tok.startsWith("1>")) return true;
            if (f == '$' || f == '~' || tok.startsWith("./") || tok.startsWith("../")) return true;
            if (tok.length() >= 3 && Character.isLetter(f) && tok.charAt(1) == ':' && tok.charAt(2) == '\\') return true;
            if (tok.startsWith("http://") || tok.startsWith("https://") || tok.startsWith("ftp://")) return true;
            if (tok.startsWith("'") || tok.startsWith("\"")) {
                if (word.equals("python") || word.equals("python3") || word.equals("perl") || word.equals("ruby")
                        || word.equals("php") || word.equals("node") || word.equals("bash") || word.equals("sh") || word.equals("echo")) return true;
            }
            if (isAddress(tok)) return true;
            if ((word.equals("sleep") || word.equals("timeout")) && tokens == 1 && isNumber(tok)) return true;
            if (tok.indexOf('.') > 0 && (word.equals("nslookup") || word.equals("dig") || word.equals("curl") || word.equals("wget")
                    || word.equals("ping") || word.equals("host") || word.equals("telnet"))) return true;
            if (tokens > 8) break;
        }
        return false;
    }

    private static boolean isNumber(String s) {
        for (int i = 0; i < s.length(); i++) if (!Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') return false;
        return !s.isEmpty();
    }

    private static boolean isAddress(String s) {
        int dots = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') dots++;
            else if (!Character.isDigit(c)) return false;
        }
        return dots == 3;
    }
}
