package io.portcullis.inspect.threats;

import java.text.Normalizer;
import java.util.Locale;

/**
 * SSRF bait: URLs (any scheme with {@code ://}, or protocol-relative {@code //host} at the start of a value) whose host
 * is internal. The host is taken after the last {@code @} of the authority, percent-decoded, NFKC-normalised (so
 * circled and full-width digits become ASCII), lower-cased and stripped of a trailing dot, then classified:
 * <ul>
 *   <li>IPv4 in any form {@code inet_aton} accepts: dotted, 1-3 parts ({@code 127.1}), decimal
 *       ({@code 2130706433}), octal ({@code 0177.0.0.1}), hex ({@code 0x7f000001}), zero-padded;</li>
 *   <li>IPv6 including {@code ::}, zone ids, IPv4-mapped/compatible forms ({@code ::ffff:127.0.0.1},
 *       {@code ::ffff:a9fe:a9fe});</li>
 *   <li>names: {@code localhost} and {@code *.localhost}, cloud metadata names, and wildcard-DNS names that embed an
 *       address ({@code 127.0.0.1.nip.io}).</li>
 * </ul>
 * Loopback, unspecified, link-local (169.254.0.0/16, fe80::/10; metadata addresses scored highest), private
 * (10/8, 172.16/12, 192.168/16, fc00::/7) and shared (100.64/10) ranges are reported; public hosts are not.
 * Schemes that smuggle raw protocols ({@code gopher}, {@code dict}) raise the score.
 *
 * <p>Linear: at most 32 URLs per value; host length bounded to 255.
 */
final class SsrfTargetClassifier {
    private SsrfTargetClassifier() {}

    static void inspect(String s, Hits hits) {
        int len = s.length();
        int urls = 0;
        int from = 0;
        // protocol-relative at value start
        String st = s.strip();
        if (st.startsWith("//") && st.length() > 2 && st.charAt(2) != '/') {
            classifyAuthority(s, s.indexOf("//") + 2, "", hits);
        }
        while (urls < 32) {
            int i = s.indexOf("://", from);
            if (i < 0) break;
            urls++;
            int schemeStart = i;
            while (schemeStart > 0 && isSchemeChar(s.charAt(schemeStart - 1))) schemeStart--;
            String scheme = s.substring(schemeStart, i).toLowerCase(Locale.ROOT);
            if (!scheme.isEmpty()) classifyAuthority(s, i + 3, scheme, hits);
            from = i + 3;
            if (from >= len) break;
        }
    }

    private static boolean isSchemeChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
    }

    private static void classifyAuthority(String s, int a, String scheme, Hits hits) {
        int len = s.length();
        int e = a;
        while (e < len && e - a < 512) {
            char c = s.charAt(e);
            if (c == '/' || c == '?' || c == '#' || c == '\\' || c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>') break;
            e++;
        }
        String auth = s.substring(a, e);
        int at = auth.lastIndexOf('@');
        String hostPort = at >= 0 ? auth.substring(at + 1) : auth;
        String host;
        if (hostPort.startsWith("[")) {
            int rb = hostPort.indexOf(']');
            host = rb < 0 ? hostPort.substring(1) : hostPort.substring(1, rb);
        } else {
            int colon = hostPort.indexOf(':');
            host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
        }
        if (host.isEmpty() || host.length() > 255) return;
        host = TextDecoder.percentDecode(host, false);
        boolean ascii = true;
        for (int i = 0; i < host.length() && ascii; i++) ascii = host.charAt(i) < 0x80;
        if (!ascii) host = Normalizer.normalize(host, Normalizer.Form.NFKC);
        host = host.toLowerCase(Locale.ROOT);
        int zone = host.indexOf('%');
        if (zone >= 0 && host.indexOf(':') >= 0) host = host.substring(0, zone);
        while (host.endsWith(".")) host = host.substring(0, host.length() - 1);
        if (host.isEmpty()) return;
        int score = hostScore(host);
        if (score == 0 && (scheme.equals("gopher") || scheme.equals("dict"))) score = 70;
        else if (score > 0 && (scheme.equals("gopher") || scheme.equals("dict") || scheme.equals("file"))) score = Math.min(100, score + 5);
        if (score > 0) {
            hits.add(ThreatCategory.SSRF, score, "SSRF: URL to an internal address", s, Math.max(0, a - scheme.length() - 3), e);
        }
    }

    /** 0 for public or unknown hosts; otherwise a score by how sensitive the target is. */
    private static final String[] WILDCARD_DNS = {".nip.io", ".sslip.io", ".xip.io", ".localtest.me", ".lvh.me"};

    static int hostScore(String host) {
        if (host.equals("localhost") || host.endsWith(".localhost") || host.equals("localhost.localdomain")
                || host.equals("ip6-localhost") || host.equals("ip6-loopback")) return 90;
        if (host.equals("metadata.google.internal") || host.equals("metadata") || host.equals("metadata.goog")
                || host.equals("instance-data") || host.equals("instance-data.ec2.internal")
                || host.equals("metadata.azure.internal")) return 97;
        if (host.endsWith(".internal") && host.startsWith("metadata")) return 95;
        if (host.indexOf(':') >= 0) return ipv6Score(host);
        long v4 = parseIpv4(host);
        if (v4 >= 0) return ipv4Score(v4);
        // wildcard DNS services that resolve an embedded address: 127.0.0.1.nip.io, 10-0-0-1.sslip.io
        for (String w : WILDCARD_DNS) {
            if (host.endsWith(w)) {
                if (w.equals(".localtest.me") || w.equals(".lvh.me")) return 85;
                String inner = host.substring(0, host.length() - w.length());
                int cut = inner.length();
                // take the trailing dotted-quad (or dashed quad)
                String cand = trailingAddress(inner.replace('-', '.'));
                long ip = cand == null ? -1 : parseIpv4(cand);
                if (ip >= 0) return ipv4Score(ip);
                return cut > 0 ? 0 : 0;
            }
        }
        return 0;
    }

    private static String trailingAddress(String s) {
        int dots = 0;
        int i = s.length();
        while (i > 0) {
            char c = s.charAt(i - 1);
            if (c == '.') {
                if (++dots == 4) break;
            } else if (!Character.isDigit(c) && !(c >= 'a' && c <= 'f') && c != 'x') break;
            i--;
        }
        String r = s.substring(i);
        return r.isEmpty() ? null : r;
    }

    static int ipv4Score(long ip) {
        int a = (int) (ip >>> 24), b = (int) ((ip >>> 16) & 0xff);
        if (ip == 0xA9FEA9FEL || ip == 0x6464_64C8L || ip == 0xA9FEAA02L) return 97; // AWS/GCP/Azure, Alibaba, ECS metadata
        if (a == 127) return 90;
        if (a == 169 && b == 254) return 92;
        if (a == 0) return 85;
        if (a == 10 || (a == 172 && b >= 16 && b <= 31) || (a == 192 && b == 168)) return 80;
        if (a == 100 && b >= 64 && b <= 127) return 70;
        return 0;
    }

    /** inet_aton: 1-4 parts, each decimal, octal (leading 0) or hex (0x); the last part fills the remaining bytes. */
    static long parseIpv4(String h) {
        long[] parts = new long[4];
        int n = 0;
        int i = 0, len = h.length();
        if (len == 0 || len > 64) return -1;
        while (i <= len) {
            if (n == 4) return -1;
            int st = i;
            while (i < len && h.charAt(i) != '.') i++;
            String p = h.substring(st, i);
            long v = parsePart(p);
            if (v < 0) return -1;
            parts[n++] = v;
            i++;
            if (i > len) break;
            if (i == len) return -1; // trailing dot already stripped; "1.2." invalid
        }
        long r;
        switch (n) {
            case 1 -> r = parts[0];
            case 2 -> {
                if (parts[0] > 0xff || parts[1] > 0xffffff) return -1;
                r = (parts[0] << 24) | parts[1];
            }
            case 3 -> {
                if (parts[0] > 0xff || parts[1] > 0xff || parts[2] > 0xffff) return -1;
                r = (parts[0] << 24) | (parts[1] << 16) | parts[2];
            }
            case 4 -> {
                for (int k = 0; k < 4; k++) if (parts[k] > 0xff) return -1;
                r = (parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3];
            }
            default -> {
                return -1;
            }
        }
        return r > 0xffffffffL ? -1 : r;
    }

    private static long parsePart(String p) {
        if (p.isEmpty() || p.length() > 12) return -1;
        int radix = 10, st = 0;
        if (p.length() > 1 && p.charAt(0) == '0' && (p.charAt(1) == 'x' || p.charAt(1) == 'X')) {
            radix = 16;
            st = 2;
            if (p.length() == 2) return 0;
        } else if (p.length() > 1 && p.charAt(0) == '0') {
            radix = 8;
            st = 1;
        }
        long v = 0;
        for (int i = st; i < p.length(); i++) {
            int d = Character.digit(p.charAt(i), radix);
            if (d < 0 || p.charAt(i) > 127) return -1;
            v = v * radix + d;
        }
        return v;
    }

    /** Scores an IPv6 literal; 0 when unparseable or public. */
    static int ipv6Score(String h) {
        int[] w = parseIpv6(h);
        if (w == null) return 0;
        boolean zeroPrefix = true;
        for (int i = 0; i < 5; i++) if (w[i] != 0) zeroPrefix = false;
        if (zeroPrefix && w[5] == 0 && w[6] == 0 && w[7] == 1) return 90; // ::1
        if (zeroPrefix && w[5] == 0 && w[6] == 0 && w[7] == 0) return 85; // ::
        if (zeroPrefix && (w[5] == 0xffff || w[5] == 0)) { // IPv4-mapped / compatible
            long v4 = ((long) w[6] << 16) | w[7];
            return ipv4Score(v4);
        }
        if (w[0] == 0xfd00 && w[1] == 0x0ec2 && w[7] == 0x254) return 97; // AWS IMDS over IPv6
        if ((w[0] & 0xffc0) == 0xfe80) return 85;
        if ((w[0] & 0xfe00) == 0xfc00) return 80;
        if (w[0] == 0x64 && w[1] == 0xff9b) { // NAT64 well-known prefix embeds IPv4
            return ipv4Score(((long) w[6] << 16) | w[7]);
        }
        return 0;
    }

    static int[] parseIpv6(String h) {
        if (h.length() > 64) return null;
        int[] out = new int[8];
        String head = h, tail = null;
        int dc = h.indexOf("::");
        if (dc >= 0) {
            head = h.substring(0, dc);
            tail = h.substring(dc + 2);
            if (tail.contains("::")) return null;
        }
        int[] hw = groups(head);
        int[] tw = tail == null ? new int[0] : groups(tail);
        if (hw == null || tw == null) return null;
        if (tail == null && hw.length != 8) return null;
        if (hw.length + tw.length > (tail == null ? 8 : 7)) return null;
        System.arraycopy(hw, 0, out, 0, hw.length);
        System.arraycopy(tw, 0, out, 8 - tw.length, tw.length);
        return out;
    }

    private static int[] groups(String s) {
        if (s.isEmpty()) return new int[0];
        String[] parts = s.split(":", -1);
        int extra = 0;
        String last = parts[parts.length - 1];
        long v4 = -1;
        if (last.indexOf('.') >= 0) {
            v4 = parseIpv4(last);
            if (v4 < 0) return null;
            extra = 1;
        }
        int[] r = new int[parts.length + extra];
        for (int i = 0; i < parts.length - extra; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 4) return null;
            int v = 0;
            for (int k = 0; k < p.length(); k++) {
                int d = Character.digit(p.charAt(k), 16);
                if (d < 0) return null;
                v = v * 16 + d;
            }
            r[i] = v;
        }
        if (extra == 1) {
            r[parts.length - 1] = (int) (v4 >>> 16);
            r[parts.length] = (int) (v4 & 0xffff);
        }
        return r;
    }
}
