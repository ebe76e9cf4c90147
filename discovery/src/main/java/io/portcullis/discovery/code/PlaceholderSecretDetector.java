package io.portcullis.discovery.code;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * PLACEHOLDER — to be replaced by an adapter over the DLP engine's SECRET detectors ({@code inspect/dlp})
 * once that lands on main. It knows three unmistakable token shapes only, so that the scanner's plumbing
 * (offsets to lines, masking, counting) is exercised end to end; it is not a secret-detection catalogue.
 *
 * <ul>
 *   <li>AWS access key id: {@code AKIA} followed by 16 of {@code [A-Z2-7]} (AWS IAM documentation).</li>
 *   <li>Stripe secret or restricted key: {@code sk_live_}, {@code sk_test_}, {@code rk_live_}, {@code rk_test_}
 *       followed by at least 16 alphanumerics (Stripe API keys documentation).</li>
 *   <li>GitHub token: {@code ghp_}, {@code gho_}, {@code ghu_}, {@code ghs_}, {@code ghr_} followed by 36
 *       alphanumerics (GitHub token formats documentation).</li>
 * </ul>
 */
public final class PlaceholderSecretDetector implements SecretDetector {
    @Override
    public List<SecretMatch> find(byte[] b, int length) {
        List<SecretMatch> out = null;
        // Anchor on the rare bytes of each shape ('K' of AKIA, '_' of sk_/rk_/gh?_) instead of on their first byte.
        for (int k = nextAnchor(b, 1, length); k < length; k = nextAnchor(b, k + 1, length)) {
            byte c = b[k];
            int i = -1;
            int end = -1;
            String type = null;
            String vendor = null;
            if (c == 'K') {
                i = k - 1;
                if (b[i] == 'A' && k + 2 < length && b[k + 1] == 'I' && b[k + 2] == 'A' && startsToken(b, i)) {
                    int j = i + 4;
                    while (j < length && j < i + 20 && ((b[j] >= 'A' && b[j] <= 'Z') || (b[j] >= '2' && b[j] <= '7'))) {
                        j++;
                    }
                    if (j == i + 20 && (j == length || !isAlnum(b[j]))) {
                        end = j;
                        type = "aws-access-key-id";
                        vendor = "aws";
                    }
                }
            } else if (c == '_') {
                if (k >= 2 && b[k - 1] == 'k' && (b[k - 2] == 's' || b[k - 2] == 'r') && startsToken(b, k - 2)
                        && (startsWith(b, k + 1, "live_") || startsWith(b, k + 1, "test_"))) {
                    i = k - 2;
                    int j = alnumRun(b, i + 8, length);
                    if (j - (i + 8) >= 16) {
                        end = j;
                        type = "stripe-secret-key";
                        vendor = "stripe";
                    }
                } else if (k >= 3 && b[k - 3] == 'g' && b[k - 2] == 'h' && "pousr".indexOf(b[k - 1]) >= 0 && startsToken(b, k - 3)) {
                    i = k - 3;
                    int j = alnumRun(b, i + 4, length);
                    if (j - (i + 4) == 36 && (j == length || b[j] != '_')) {
                        end = j;
                        type = "github-token";
                        vendor = "github";
                    }
                }
            }
            if (end > 0) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(new SecretMatch(i, type, vendor, mask(new String(b, i, end - i, StandardCharsets.US_ASCII))));
                k = end - 1;
            }
        }
        return out == null ? List.of() : out;
    }

    /** The next index holding 'K' or '_' (a small loop the JIT compiles tightly), or length. */
    private static int nextAnchor(byte[] b, int from, int length) {
        for (int k = from; k < length; k++) {
            byte c = b[k];
            if (c == 'K' || c == '_') {
                return k;
            }
        }
        return length;
    }

    private static boolean startsToken(byte[] b, int i) {
        return i == 0 || !isAlnum(b[i - 1]);
    }

    /** Keeps a recognisable prefix (at most 4 characters, never more than a quarter) and the length. */
    static String mask(String secret) {
        int keep = Math.min(4, secret.length() / 4);
        return secret.substring(0, keep) + "*".repeat(8) + " (" + secret.length() + " chars)";
    }

    private static boolean startsWith(byte[] b, int at, String s) {
        if (at + s.length() > b.length) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if (b[at + k] != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int alnumRun(byte[] b, int from, int length) {
        int j = from;
        while (j < length && isAlnum(b[j])) {
            j++;
        }
        return j;
    }

    private static boolean isAlnum(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }
}
