package io.portcullis.inspect.dlp;

/** Allocation-free Base64 decoding (standard and URL alphabets, padding optional) into a caller's buffer. */
final class Base64Bytes {
    private Base64Bytes() {}

    private static final byte[] VAL = new byte[256];

    static {
        java.util.Arrays.fill(VAL, (byte) -1);
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        for (int i = 0; i < a.length(); i++) VAL[a.charAt(i)] = (byte) i;
        VAL['+'] = 62;
        VAL['-'] = 62;
        VAL['/'] = 63;
        VAL['_'] = 63;
    }

    /**
     * Decodes {@code src[from..to)} into {@code out} starting at 0, writing at most {@code out.length} bytes.
     * Trailing '=' are ignored. Returns the number of bytes written, or -1 if a byte is not Base64.
     */
    static int decode(byte[] src, int from, int to, byte[] out) {
        while (to > from && src[to - 1] == '=') to--;
        int acc = 0, bits = 0, n = 0;
        for (int i = from; i < to && n < out.length; i++) {
            int v = VAL[src[i] & 0xff];
            if (v < 0) return -1;
            acc = (acc << 6) | v;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                out[n++] = (byte) (acc >> bits);
            }
        }
        return n;
    }
}
