package io.portcullis.inspect.dlp;

/**
 * The 256-entry byte class table behind the candidate pass: one array load per byte decides whether the
 * byte can start anything interesting. Bit sets are also used as the character sets of vendor key bodies.
 */
final class ByteClasses {
    private ByteClasses() {}

    static final int UPPER = 1, LOWER = 2, DIGIT = 4, UNDERSCORE = 8, DASH = 16, DOT = 32, PLUS_SLASH = 64, EQUALS = 128,
            TILDE = 256;
    static final int ALNUM = UPPER | LOWER | DIGIT;
    static final int WORD = ALNUM | UNDERSCORE;
    static final int B64URL = ALNUM | UNDERSCORE | DASH;
    static final int B64 = ALNUM | PLUS_SLASH | EQUALS;
    static final int TOKEN = ALNUM | UNDERSCORE | DASH | DOT | PLUS_SLASH | EQUALS;
    static final int HEX_LOWER = 512; // 0-9 a-f
    static final int HEX = 1024;      // 0-9 a-f A-F
    static final int LETTER_P = 2048; // p P: words without one cannot name a password

    /** Character-set bits per byte value. */
    static final int[] BITS = new int[256];

    /** Dispatch kinds for the candidate pass. */
    static final byte K_NONE = 0, K_DIGIT = 1, K_ALPHA = 2, K_AT = 3, K_DASH = 4, K_COLON = 5, K_BACKSLASH = 6;
    static final byte[] KIND = new byte[256];

    static {
        for (int c = 'A'; c <= 'Z'; c++) BITS[c] |= UPPER;
        for (int c = 'a'; c <= 'z'; c++) BITS[c] |= LOWER;
        for (int c = '0'; c <= '9'; c++) BITS[c] |= DIGIT | HEX_LOWER | HEX;
        for (int c = 'a'; c <= 'f'; c++) BITS[c] |= HEX_LOWER | HEX;
        for (int c = 'A'; c <= 'F'; c++) BITS[c] |= HEX;
        BITS['_'] |= UNDERSCORE;
        BITS['-'] |= DASH;
        BITS['.'] |= DOT;
        BITS['+'] |= PLUS_SLASH;
        BITS['/'] |= PLUS_SLASH;
        BITS['='] |= EQUALS;
        BITS['~'] |= TILDE;
        BITS['p'] |= LETTER_P;
        BITS['P'] |= LETTER_P;
        for (int c = 'A'; c <= 'Z'; c++) KIND[c] = K_ALPHA;
        for (int c = 'a'; c <= 'z'; c++) KIND[c] = K_ALPHA;
        for (int c = '0'; c <= '9'; c++) KIND[c] = K_DIGIT;
        KIND['@'] = K_AT;
        KIND['-'] = K_DASH;
        KIND[':'] = K_COLON;
        KIND['\\'] = K_BACKSLASH;
    }

    static boolean is(byte b, int mask) {
        return (BITS[b & 0xff] & mask) != 0;
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isUpper(byte b) {
        return b >= 'A' && b <= 'Z';
    }

    /** ASCII lower case per byte value (other bytes unchanged). */
    private static final byte[] LOWER_CASE = new byte[256];

    static {
        for (int c = 0; c < 256; c++) LOWER_CASE[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
    }

    static byte lower(byte b) {
        return LOWER_CASE[b & 0xff];
    }
}
