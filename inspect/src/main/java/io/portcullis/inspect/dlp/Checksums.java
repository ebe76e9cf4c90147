package io.portcullis.inspect.dlp;

/**
 * Check-digit algorithms used by validators. Written by hand: each is a few lines, and the scanner calls
 * them on digit arrays it already holds, without allocating.
 */
final class Checksums {
    private Checksums() {}

    /** Luhn (ISO/IEC 7812-1) over {@code d[0..n)}, digits as values 0-9. */
    static boolean luhn(int[] d, int n) {
        int sum = 0;
        boolean dbl = false;
        for (int i = n - 1; i >= 0; i--) {
            int v = d[i];
            if (dbl) {
                v *= 2;
                if (v > 9) v -= 9;
            }
            sum += v;
            dbl = !dbl;
        }
        return sum % 10 == 0;
    }

    private static final int[][] VERHOEFF_D = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5}, {2, 3, 4, 0, 1, 7, 8, 9, 5, 6},
        {3, 4, 0, 1, 2, 8, 9, 5, 6, 7}, {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
        {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3}, {8, 7, 6, 5, 9, 3, 2, 1, 0, 4},
        {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
    private static final int[][] VERHOEFF_P = {
        {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4}, {5, 8, 0, 3, 7, 9, 6, 1, 4, 2},
        {8, 9, 1, 6, 0, 4, 3, 5, 2, 7}, {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
        {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};

    /** Verhoeff check (used by Aadhaar) over {@code d[0..n)} including the check digit. */
    static boolean verhoeff(int[] d, int n) {
        int c = 0;
        for (int i = 0; i < n; i++) c = VERHOEFF_D[c][VERHOEFF_P[i % 8][d[n - 1 - i]]];
        return c == 0;
    }

    /** ISO 7064 mod 97-10 as used by IBAN: {@code s} already rearranged (country+check moved to the end). */
    static int mod97(CharSequence s) {
        int r = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            int v = ch >= '0' && ch <= '9' ? ch - '0' : ch - 'A' + 10;
            r = v >= 10 ? (r * 100 + v) % 97 : (r * 10 + v) % 97;
        }
        return r;
    }

    static final String DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE";
}
