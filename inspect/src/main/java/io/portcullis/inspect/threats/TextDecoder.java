package io.portcullis.inspect.threats;

import java.nio.charset.StandardCharsets;

/**
 * Bounded decoding of the encodings attackers use to hide payloads: percent-encoding (including {@code %uXXXX} and
 * overlong UTF-8 forms of ASCII), HTML character references, and backslash escapes ({@code \xNN}, {@code \\uNNNN}).
 * One {@link #decodeOnce} pass is linear in the input; the engine applies at most {@link #MAX_PASSES} passes, so
 * double and triple encodings are seen and total work stays linear.
 */
final class TextDecoder {
    static final int MAX_PASSES = 3;

    private TextDecoder() {}

    /** True when the text contains something one pass could decode. */
    static boolean mayDecode(String s, boolean plusIsSpace) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' || c == '&' || c == '\\' || (plusIsSpace && c == '+')) return true;
        }
        return false;
    }

    /** One decoding pass; returns the same instance when nothing changed. */
    static String decodeOnce(String s, boolean plusIsSpace) {
        // a value with '+' between words and no spaces is form-encoded text that leaked into another context
        if (!plusIsSpace && s.indexOf('+') > 0 && s.indexOf(' ') < 0) plusIsSpace = true;
        if (!mayDecode(s, plusIsSpace)) return s;
        String a = percentDecode(s, plusIsSpace);
        String b = entityDecode(a);
        String c = backslashDecode(b);
        return c.equals(s) ? s : c;
    }

    static String percentDecode(String s, boolean plusIsSpace) {
        if (s.indexOf('%') < 0 && !(plusIsSpace && s.indexOf('+') >= 0)) return s;
        byte[] out = new byte[s.length() * 3];
        int n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < len + 0 && i + 2 <= len - 1 && hex(s.charAt(i + 1)) >= 0 && hex(s.charAt(i + 2)) >= 0) {
                int b1 = hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2));
                // Overlong two-byte UTF-8 (%c0%ae, %c1%9c): decoders that accept it yield ASCII, so do we.
                if ((b1 == 0xC0 || b1 == 0xC1) && i + 5 < len && s.charAt(i + 3) == '%'
                        && hex(s.charAt(i + 4)) >= 0 && hex(s.charAt(i + 5)) >= 0) {
                    int b2 = hex(s.charAt(i + 4)) * 16 + hex(s.charAt(i + 5));
                    if ((b2 & 0xC0) == 0x80) {
                        out[n++] = (byte) (((b1 & 0x1F) << 6) | (b2 & 0x3F));
                        i += 5;
                        continue;
                    }
                }
                out[n++] = (byte) b1;
                i += 2;
            } else if (c == '%' && i + 5 < len && (s.charAt(i + 1) == 'u' || s.charAt(i + 1) == 'U')
                    && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0 && hex(s.charAt(i + 4)) >= 0 && hex(s.charAt(i + 5)) >= 0) {
                int cp = (hex(s.charAt(i + 2)) << 12) | (hex(s.charAt(i + 3)) << 8) | (hex(s.charAt(i + 4)) << 4) | hex(s.charAt(i + 5));
                n = putUtf8(out, n, cp);
                i += 5;
            } else if (c == '+' && plusIsSpace) {
                out[n++] = ' ';
            } else if (c < 0x80) {
                out[n++] = (byte) c;
            } else {
                int cp = c;
                if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, s.charAt(++i));
                }
                n = putUtf8(out, n, cp);
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    private static int putUtf8(byte[] out, int n, int cp) {
        if (cp < 0x80) {
            out[n++] = (byte) cp;
        } else if (cp < 0x800) {
            out[n++] = (byte) (0xC0 | (cp >> 6));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out[n++] = (byte) (0xE0 | (cp >> 12));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        } else {
            out[n++] = (byte) (0xF0 | (cp >> 18));
            out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
            out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
            out[n++] = (byte) (0x80 | (cp & 0x3F));
        }
        return n;
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /** HTML character references: numeric (with or without ';', leading zeros bounded) and the named ones that matter. */
    static String entityDecode(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        b.append(s, 0, amp);
        int len = s.length();
        for (int i = amp; i < len; i++) {
            char c = s.charAt(i);
            if (c != '&') {
                b.append(c);
                continue;
            }
            int j = i + 1;
            if (j < len && s.charAt(j) == '#') {
                j++;
                boolean isHex = j < len && (s.charAt(j) == 'x' || s.charAt(j) == 'X');
                if (isHex) j++;
                int start = j;
                long v = 0;
                while (j < len && j - start < 12) {
                    int d = isHex ? hex(s.charAt(j)) : (Character.isDigit(s.charAt(j)) && s.charAt(j) < 128 ? s.charAt(j) - '0' : -1);
                    if (d < 0) break;
                    v = v * (isHex ? 16 : 10) + d;
                    j++;
                }
                if (j > start && v > 0 && v <= Character.MAX_CODE_POINT && !(v >= 0xD800 && v <= 0xDFFF)) {
                    b.appendCodePoint((int) v);
                    if (j < len && s.charAt(j) == ';') j++;
                    i = j - 1;
                    continue;
                }
                b.append(c);
                continue;
            }
            int start = j;
            while (j < len && j - start < 10 && Character.isLetter(s.charAt(j)) && s.charAt(j) < 128) j++;
            String name = s.substring(start, j);
            char r = switch (name) {
                case "lt", "LT" -> '<';
                case "gt", "GT" -> '>';
                case "quot", "QUOT" -> '"';
                case "apos" -> '\'';
                case "amp", "AMP" -> '&';
                case "sol" -> '/';
                case "bsol" -> '\\';
                case "colon" -> ':';
                case "lpar" -> '(';
                case "rpar" -> ')';
                case "semi" -> ';';
                case "equals" -> '=';
                case "Tab" -> '\t';
                case "NewLine" -> '\n';
                case "period" -> '.';
                case "nbsp" -> ' ';
                default -> 0;
            };
            if (r != 0 && (j < len && s.charAt(j) == ';' || name.length() >= 2 && (name.equals("lt") || name.equals("gt") || name.equals("quot") || name.equals("amp")))) {
                b.append(r);
                if (j < len && s.charAt(j) == ';') j++;
                i = j - 1;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code \xNN}, {@code \\uNNNN}, {@code \\u{N..}} and octal-free simple escapes used in JS/JSON-in-string payloads. */
    static String backslashDecode(String s) {
        int bs = s.indexOf('\\');
        if (bs < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        b.append(s, 0, bs);
        int len = s.length();
        for (int i = bs; i < len; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < len && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                    && hex(s.charAt(i + 2)) >= 0 && hex(s.charAt(i + 3)) >= 0) {
                b.append((char) (hex(s.charAt(i + 2)) * 16 + hex(s.charAt(i + 3))));
                i += 3;
            } else if (c == '\\' && i + 5 < len && s.charAt(i + 1) == 'u' && hex(s.charAt(i + 2)) >= 0
                    && hex(s.charAt(i + 3)) >= 0 && hex(s.charAt(i + 4)) >= 0 && hex(s.charAt(i + 5)) >= 0) {
                char d = (char) ((hex(s.charAt(i + 2)) << 12) | (hex(s.charAt(i + 3)) << 8) | (hex(s.charAt(i + 4)) << 4) | hex(s.charAt(i + 5)));
                b.append(d);
                i += 5;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
