package io.portcullis.inspect.dlp;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A detector defined in configuration: a pattern run by RE2/J (linear time, no backtracking, so a user's
 * pattern cannot make a scan slow), optional keywords that must appear within 64 bytes before a match, and
 * an optional check-digit validator.
 *
 * @param type      finding type (UPPER_SNAKE)
 * @param dataClass class reported (CUSTOM unless configured otherwise)
 * @param pattern   compiled RE2/J pattern
 * @param keywords  lowercase words, one of which must precede a match; empty = no requirement
 * @param validator check applied to the digits of a match
 */
public record CustomDetector(String type, DataClass dataClass, Pattern pattern, List<String> keywords, Validator validator) {
    public CustomDetector {
        Objects.requireNonNull(type);
        Objects.requireNonNull(dataClass);
        Objects.requireNonNull(pattern);
        keywords = keywords.stream().map(k -> k.toLowerCase(Locale.ROOT)).toList();
        validator = validator == null ? Validator.NONE : validator;
    }

    /** Check-digit validators available to custom detectors. */
    public enum Validator {
        NONE, LUHN, VERHOEFF, MOD97;

        boolean test(byte[] b, int s, int e) {
            if (this == NONE) return true;
            if (this == MOD97) {
                var sb = new StringBuilder();
                for (int i = s; i < e; i++) if (ByteClasses.is(b[i], ByteClasses.ALNUM)) sb.append(Character.toUpperCase((char) b[i]));
                if (sb.length() < 5) return false;
                String re = sb.substring(4) + sb.substring(0, 4);
                return Checksums.mod97(re) == 1;
            }
            int[] d = new int[Math.min(64, e - s)];
            int n = 0;
            for (int i = s; i < e && n < d.length; i++) if (ByteClasses.isDigit(b[i])) d[n++] = b[i] - '0';
            if (n < 2) return false;
            return this == LUHN ? Checksums.luhn(d, n) : Checksums.verhoeff(d, n);
        }
    }

    void scan(byte[] b, int from, int to, List<Finding> out) {
        byte[] input = from == 0 && to == b.length ? b : java.util.Arrays.copyOfRange(b, from, to);
        var m = pattern.matcher(input);
        int pos = 0;
        while (pos <= input.length && m.find(pos)) {
            int s = m.start(), e = m.end();
            pos = e > s ? e : e + 1;
            if (e == s) continue;
            boolean ctx = keywords.isEmpty() || TextScanner.hasContext(input, 0, s, 64, keywords.toArray(String[]::new));
            if (!ctx || !validator.test(input, s, e)) continue;
            out.add(new Finding(type, dataClass, from + s, from + e, "",
                    keywords.isEmpty() ? Likelihood.POSSIBLE : Likelihood.LIKELY, Masking.digits(input, s, e)));
        }
    }
}
