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
        for (int i = 0; i + 20 <= length; i++) {
            byte c = b[i];
            if (c != 'A' && c != 's' && c != 'r' && c != 'g') {
                continue;
            }
            if (i > 0 && isAlnum(b[i - 1])) {
                continue; // must start a token
            }
            int end = -1;
            String type = null;
            String vendor = null;
            if (c == 'A' && b[i + 1] == 'K' && b[i + 2] == 'I' && b[i + 3] == 'A') {
                int j = i + 4;
                while (j < length && j < i + 20 && ((b[j] >= 'A' && b[j] <= 'Z') || (b[j] >= '2' && b[j] <= '7'))) {
                    j++;
                }
                if (j == i + 20 && (j == length || !isAlnum(b[j]))) {
                    end = j;
                    type = "aws-access-key-id";
                    vendor = "aws";
                }
            } else if ((c == 's' || c == 'r') && b[i + 1] == 'k' && b[i + 2] == '_'
                    && (startsWith(b, i + 3, "live_") || startsWith(b, i + 3, "test_"))) {
                int j = alnumRun(b, i + 8, length);
                if (j - (i + 8) >= 16) {
                    end = j;
                    type = "stripe-secret-key";
                    vendor = "stripe";
                }
            } else if (c == 'g' && b[i + 1] == 'h' && "pousr".indexOf(b[i + 2]) >= 0 && b[i + 3] == '_') {
                int j = alnumRun(b, i + 4, length);
                if (j - (i + 4) == 36) {
                    end = j;
                    type = "github-token";
                    vendor = "github";
                }
            }
            if (end > 0) {
                if (out == null) {
                    out = new ArrayList<>();
                }
                out.add(new SecretMatch(i, type, vendor, mask(new String(b, i, end - i, StandardCharsets.US_ASCII))));
                i = end;
            }
        }
        return out == null ? List.of() : out;
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
