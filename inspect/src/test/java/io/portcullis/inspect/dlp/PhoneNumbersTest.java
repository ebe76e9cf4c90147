package io.portcullis.inspect.dlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PhoneNumbers} decides as libphonenumber's own {@code isValidNumber} / {@code isValidNumberForRegion}
 * would: compared on every region's example numbers of every type, on those numbers with a digit changed, and
 * on seeded random digit strings, international, North American and national (trunk prefix 0).
 */
class PhoneNumbersTest {
    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    /** The decision through libphonenumber's public API (what PhoneNumbers did before its patterns were cached). */
    private static boolean reference(int[] d, int n, boolean plus) {
        if (n > 17) return false;
        if (plus) {
            for (int ccLen = 1; ccLen <= 3 && ccLen < n; ccLen++) {
                int cc = (int) digits(d, 0, ccLen);
                if (UTIL.getRegionCodeForCountryCode(cc).equals("ZZ")) continue;
                if (n - ccLen < 4) return false;
                var pn = new PhoneNumber().setCountryCode(cc).setNationalNumber(digits(d, ccLen, n));
                if (cc == 39 && d[ccLen] == 0) pn.setItalianLeadingZero(true);
                return UTIL.isValidNumber(pn);
            }
            return false;
        }
        if (d[0] != 0) {
            if (n == 10) return UTIL.isValidNumber(new PhoneNumber().setCountryCode(1).setNationalNumber(digits(d, 0, n)));
            if (n == 11 && d[0] == 1) return UTIL.isValidNumber(new PhoneNumber().setCountryCode(1).setNationalNumber(digits(d, 1, n)));
            return false;
        }
        for (String region : new String[] {"GB", "DE", "FR", "IN", "AU"}) {
            var pn = new PhoneNumber().setCountryCode(UTIL.getCountryCodeForRegion(region)).setNationalNumber(digits(d, 1, n));
            if (UTIL.isValidNumberForRegion(pn, region)) return true;
        }
        return false;
    }

    private static long digits(int[] d, int s, int e) {
        long v = 0;
        for (int i = s; i < e; i++) v = v * 10 + d[i];
        return v;
    }

    private static int[] toDigits(String s) {
        int[] d = new int[s.length()];
        for (int i = 0; i < d.length; i++) d[i] = s.charAt(i) - '0';
        return d;
    }

    private static int checked = 0, valid = 0;

    private static void same(String digits, boolean plus) {
        if (digits.isEmpty() || digits.length() > 32) return;
        int[] d = toDigits(digits);
        boolean expected = reference(d, d.length, plus);
        assertThat(PhoneNumbers.valid(d, d.length, plus)).as("%s%s", plus ? "+" : "", digits).isEqualTo(expected);
        checked++;
        if (expected) valid++;
    }

    @Test
    void decidesAsLibphonenumberOnExampleNumbersAndTheirNeighbours() {
        var rnd = new Random(7);
        List<String> examples = new ArrayList<>();
        for (String region : UTIL.getSupportedRegions()) {
            int cc = UTIL.getCountryCodeForRegion(region);
            for (PhoneNumberType t : PhoneNumberType.values()) {
                PhoneNumber ex = UTIL.getExampleNumberForType(region, t);
                if (ex != null) examples.add(cc + UTIL.getNationalSignificantNumber(ex));
            }
        }
        for (int cc : UTIL.getSupportedGlobalNetworkCallingCodes()) {
            PhoneNumber ex = UTIL.getExampleNumberForNonGeoEntity(cc);
            if (ex != null) examples.add(cc + UTIL.getNationalSignificantNumber(ex));
        }
        for (String e : examples) {
            same(e, true);
            char[] c = e.toCharArray();
            int at = 1 + rnd.nextInt(c.length - 1);
            c[at] = (char) ('0' + rnd.nextInt(10));
            same(new String(c), true);
            same(e.substring(0, e.length() - 1), true);
            same(e + rnd.nextInt(10), true);
        }
        assertThat(valid).isGreaterThan(1000);
    }

    @Test
    void decidesAsLibphonenumberOnRandomDigits() {
        var rnd = new Random(11);
        for (int iter = 0; iter < 20_000; iter++) {
            int n = 3 + rnd.nextInt(16);
            var sb = new StringBuilder();
            for (int i = 0; i < n; i++) sb.append((char) ('0' + rnd.nextInt(10)));
            String s = sb.toString();
            switch (iter % 4) {
                case 0 -> same(s, true);
                case 1 -> same("0" + s, false);
                case 2 -> same(s.charAt(0) == '0' ? "2" + s.substring(1) : s, false);
                default -> same("1" + s.substring(Math.min(1, s.length() - 1)), false);
            }
        }
        assertThat(checked).isGreaterThan(19_000);
    }
}
